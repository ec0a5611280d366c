package dev.dovetail.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FeatureGatesTest {
  @Test
  void defaultsAreUpstreams() {
    assertThat(FeatureGates.parse(null).toString())
        .isEqualTo(
            "NodeRepair=false,ReservedCapacity=true,SpotToSpotConsolidation=false,"
                + "NodeOverlay=false,StaticCapacity=false,CapacityBuffer=false");
    assertThat(Settings.defaults().featureGates()).isEqualTo(FeatureGates.DEFAULTS);
  }

  @Test
  void parsesTheChartsFormatOverTheDefaults() {
    FeatureGates g = FeatureGates.parse("NodeRepair=true, SpotToSpotConsolidation=TRUE");
    assertThat(g.nodeRepair()).isTrue();
    assertThat(g.spotToSpotConsolidation()).isTrue();
    assertThat(g.reservedCapacity()).isTrue();
    assertThat(FeatureGates.parse("ReservedCapacity=false").reservedCapacity()).isFalse();
  }

  @Test
  void unknownGatesAndBadValuesAreRefusedByName() {
    assertThatThrownBy(() -> FeatureGates.parse("NodeRepair=true,Drift=true"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown feature gate 'Drift'");
    assertThatThrownBy(() -> FeatureGates.parse("NodeRepair=yes"))
        .hasMessageContaining("NodeRepair must be true or false");
    assertThatThrownBy(() -> FeatureGates.parse("nodeRepair=true"))
        .hasMessageContaining("unknown feature gate 'nodeRepair'");
  }
}
