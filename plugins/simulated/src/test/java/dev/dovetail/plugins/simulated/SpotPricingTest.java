package dev.dovetail.plugins.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpotPricingTest {
  private static CatalogEntry entry(String name, double onDemand, Double spot) {
    return new CatalogEntry(name, "m5", 2, 8192, "amd64", 0, null, onDemand, spot);
  }

  @Test
  void modelledSpotDiscountIsBetween55And80PercentForEveryAwsTypeAndZone() {
    Catalog aws = Catalog.load("aws");
    for (CatalogEntry e : aws.instanceTypes()) {
      for (String zone : aws.zones()) {
        double spot = SpotPricing.spotPrice(e, zone);
        assertThat(spot)
            .isBetween(e.onDemandPerHour() * 0.20 - 1e-12, e.onDemandPerHour() * 0.45 + 1e-12);
      }
    }
  }

  @Test
  void spotPriceIsStableAcrossCallsAndPinnedToKnownValues() {
    CatalogEntry m5 = entry("m5.large", 0.096, null);
    double a = SpotPricing.spotPrice(m5, "us-east-1a");
    assertThat(SpotPricing.spotPrice(m5, "us-east-1a")).isEqualTo(a);
    // Pinned: the formula (FNV-1a of "type/zone") must not change silently between releases,
    // or every recorded demo and benchmark price would move.
    assertThat(SpotPricing.fnv1a64("")).isEqualTo(0xcbf29ce484222325L);
    assertThat(SpotPricing.fnv1a64("a")).isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(a)
        .isCloseTo(0.096 * (1 - SpotPricing.discount("m5.large", "us-east-1a")), within(1e-12));
  }

  @Test
  void zonesAndTypesGetDifferentDiscounts() {
    Set<Double> discounts = new HashSet<>();
    for (String zone : new String[] {"us-east-1a", "us-east-1b", "us-east-1c"}) {
      for (String type : new String[] {"m5.large", "c5.large", "r5.large"}) {
        discounts.add(SpotPricing.discount(type, zone));
      }
    }
    assertThat(discounts).hasSizeGreaterThan(5);
  }

  @Test
  void catalogSpotPriceIsUsedWhenBelowOnDemand() {
    assertThat(SpotPricing.spotPrice(entry("e2-standard-2", 0.067, 0.02), "us-central1-a"))
        .isEqualTo(0.02);
    // A catalog spot price at or above on-demand is not believable: model one instead.
    assertThat(SpotPricing.spotPrice(entry("x", 0.1, 0.2), "z")).isLessThan(0.1);
  }
}
