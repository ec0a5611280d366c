package dev.dovetail.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultsTest {
  private static List<Integer> draws(long seed) {
    Faults f =
        new Faults().seed(seed).error("patch", "nodeclaims", 0.3, 409).error("*", "*", 0.1, 500);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      out.add(f.errorFor(i % 2 == 0 ? "patch" : "get", "nodeclaims").orElse(200));
    }
    return out;
  }

  @Test
  void theSameSeedDrawsTheSameFaults() {
    assertThat(draws(7)).isEqualTo(draws(7));
    assertThat(draws(7)).isNotEqualTo(draws(8));
    assertThat(draws(7)).contains(409, 500, 200);
  }

  @Test
  void rulesApplyOnlyToTheirVerbAndResource() {
    Faults f = new Faults().error("create", "pods", 1.0, 429);
    assertThat(f.errorFor("create", "pods")).contains(429);
    assertThat(f.errorFor("create", "nodes")).isEmpty();
    assertThat(f.errorFor("get", "pods")).isEmpty();
    assertThat(f.clear().errorFor("create", "pods")).isEmpty();
  }

  @Test
  void onlyApiErrorCodesAreAccepted() {
    assertThatThrownBy(() -> new Faults().error("get", "pods", 1.0, 404))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("409, 429 or 500");
  }

  @Test
  void latencyAndWatchDropsAreDrawnAtTheirRate() {
    Faults f =
        new Faults()
            .seed(1)
            .latency(Duration.ofMillis(5), 1.0)
            .dropWatches(1.0, Duration.ofMillis(10));
    assertThat(f.delay()).isEqualTo(Duration.ofMillis(5));
    assertThat(f.watchDrop()).contains(Duration.ofMillis(10));
    f.clear();
    assertThat(f.delay()).isZero();
    assertThat(f.watchDrop()).isEmpty();
  }
}
