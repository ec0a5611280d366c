package dev.dovetail.cloudprovider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one price lookup: what a node of a type costs in its zone and capacity type. */
class InstanceTypePriceTest {
  private static final InstanceType M5 =
      new InstanceType(
          "m5.large",
          null,
          List.of(
              new Offering("us-east-1a", "on-demand", 0.096, true),
              new Offering("us-east-1a", "spot", 0.040, true),
              new Offering("us-east-1b", "spot", 0.031, false),
              new Offering("us-east-1a", "reserved", 0.060, true, "cr-1", 2),
              new Offering("us-east-1a", "reserved", 0.050, true, "cr-2", 1)),
          null,
          null);

  @Test
  void theOfferingInThatZoneAndCapacityType() {
    assertThat(M5.price("us-east-1a", "on-demand")).hasValue(0.096);
    assertThat(M5.price("us-east-1a", "spot")).hasValue(0.040);
  }

  @Test
  void anUnavailableOfferingStillPricesARunningNode() {
    assertThat(M5.price("us-east-1b", "spot")).hasValue(0.031);
  }

  @Test
  void theCheapestWhenSeveralOfferingsShareZoneAndCapacityType() {
    assertThat(M5.price("us-east-1a", "reserved")).hasValue(0.050);
  }

  @Test
  void anyZoneWhenTheZoneIsUnknown() {
    assertThat(M5.price(null, "spot")).hasValue(0.031);
  }

  @Test
  void emptyWithoutSuchAnOffering() {
    assertThat(M5.price("us-east-1b", "on-demand")).isEmpty();
    assertThat(M5.price("us-east-1a", null)).isEmpty();
  }
}
