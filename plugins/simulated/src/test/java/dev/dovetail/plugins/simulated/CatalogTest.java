package dev.dovetail.plugins.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CatalogTest {

  @ParameterizedTest
  @ValueSource(strings = {"aws", "azure", "gcp"})
  void builtInCatalogsLoadFromTheClassPathWithThreeZonesAndPricedShapes(String name) {
    Catalog c = Catalog.load(name);
    assertThat(c.provider()).isEqualTo(name);
    assertThat(c.region()).isNotBlank();
    assertThat(c.zones()).hasSize(3).allSatisfy(z -> assertThat(z).startsWith(c.region()));
    assertThat(c.instanceTypes()).hasSizeGreaterThan(100);
    assertThat(c.instanceTypes())
        .allSatisfy(
            e -> {
              assertThat(e.vcpu()).isPositive();
              // Azure's Standard_B1ls has 0 MiB in its source (0.5 GiB truncated); the plugin
              // skips such entries, see CatalogInstanceTypesTest.
              assertThat(e.memoryMiB()).isNotNegative();
              assertThat(e.onDemandPerHour()).isPositive();
              assertThat(e.arch()).isIn("amd64", "arm64");
            });
  }

  @Test
  void awsCatalogHasKnownShapes() {
    Catalog c = Catalog.load("AWS");
    assertThat(c.instanceTypes())
        .filteredOn(e -> e.name().equals("m5.large"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.family()).isEqualTo("m5");
              assertThat(e.vcpu()).isEqualTo(2);
              assertThat(e.memoryMiB()).isEqualTo(8192);
              assertThat(e.gpu()).isZero();
              assertThat(e.spotPerHour()).isNull();
            });
  }

  @Test
  void gcpCatalogCarriesSpotPrices() {
    assertThat(Catalog.load("gcp").instanceTypes()).anyMatch(e -> e.spotPerHour() != null);
  }

  @Test
  void unknownCatalogIsRefusedWithTheChoices() {
    assertThatThrownBy(() -> Catalog.load("oracle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aws");
  }
}
