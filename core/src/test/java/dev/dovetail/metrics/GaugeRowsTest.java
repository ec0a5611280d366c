package dev.dovetail.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GaugeRowsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GaugeRows rows = new GaugeRows(MultiGauge.builder("pods").register(registry));

  private Gauge gauge(String pod) {
    return registry.find("pods").tags("name", pod).gauge();
  }

  @Test
  void anUnchangedSetOfRowsLeavesTheRegistryAlone() {
    Map<Tags, Double> pods = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      pods.put(Tags.of("name", "p" + i), 1.0);
    }
    rows.set(pods);
    Gauge first = gauge("p7");
    for (int i = 0; i < 5; i++) {
      rows.set(new HashMap<>(pods));
    }
    assertThat(rows.registrations()).isEqualTo(1);
    assertThat(gauge("p7")).isSameAs(first); // not removed and registered again
  }

  @Test
  void changedAddedAndRemovedRowsAreShownAndTheOthersKept() {
    rows.set(Map.of(Tags.of("name", "a"), 1.0, Tags.of("name", "b"), 2.0));
    Gauge a = gauge("a");
    rows.set(
        Map.of(Tags.of("name", "a"), 1.0, Tags.of("name", "b"), 5.0, Tags.of("name", "c"), 3.0));
    assertThat(gauge("a")).isSameAs(a);
    assertThat(gauge("b").value()).isEqualTo(5.0);
    assertThat(gauge("c").value()).isEqualTo(3.0);
    rows.set(Map.of(Tags.of("name", "c"), 3.0));
    assertThat(gauge("a")).isNull();
    assertThat(gauge("b")).isNull();
    assertThat(gauge("c").value()).isEqualTo(3.0);
    assertThat(rows.registrations()).isEqualTo(3);
  }
}
