package dev.dovetail.plugins.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedSettingsTest {

  @Test
  void defaults() {
    SimulatedSettings s = SimulatedSettings.from(Map.of());
    assertThat(s.catalog()).isEqualTo("aws");
    assertThat(s.launchLatency()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.startupTaintDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.interruptionNotice()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.unavailableOfferingsTtl()).isEqualTo(Duration.ofMinutes(3));
    assertThat(s.iceOfferings()).isEmpty();
    assertThat(s.maxPods()).isNull();
    assertThat(s.spotInterruptionInterval()).isNull();
  }

  @Test
  void parsesEverySetting() {
    SimulatedSettings s =
        SimulatedSettings.from(
            Map.of(
                "catalog", "GCP",
                "launchLatency", "1m30s",
                "startupTaintDelay", "500ms",
                "interruptionNotice", "PT30S",
                "unavailableOfferingsTTL", "0",
                "iceOfferings", "a/b/spot,*/z/*",
                "maxPods", "110",
                "vmMemoryOverheadPercent", "0"));
    assertThat(s.catalog()).isEqualTo("gcp");
    assertThat(s.launchLatency()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.startupTaintDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.interruptionNotice()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.unavailableOfferingsTtl()).isZero();
    assertThat(s.iceOfferings())
        .containsExactly(new OfferingPattern("a", "b", "spot"), new OfferingPattern("*", "z", "*"));
    assertThat(s.maxPods()).isEqualTo(110);
    assertThat(s.vmMemoryOverheadPercent()).isZero();
  }

  @Test
  void badValuesNameTheSetting() {
    assertThatThrownBy(() -> SimulatedSettings.from(Map.of("launchLatency", "soon")))
        .hasMessageContaining("launchLatency");
    assertThatThrownBy(() -> SimulatedSettings.from(Map.of("iceOfferings", "m5.large/us-east-1a")))
        .hasMessageContaining("instanceType/zone/capacityType");
    assertThatThrownBy(() -> SimulatedSettings.from(Map.of("maxPods", "0")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
