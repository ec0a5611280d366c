package dev.dovetail.cloudprovider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceTest {
  @Test
  void withStateChangesTheStateAndKeepsEverythingElse() {
    Instance pending =
        new Instance(
            "sim:///a/i-1",
            "claim-a",
            "default",
            "m5.large",
            "a",
            "spot",
            "image-1",
            Map.of("team", "blue"),
            Resources.of("cpu", 2000L),
            Resources.of("cpu", 1900L),
            Instant.parse("2026-12-05T00:00:00Z"),
            "pending");

    Instance running = pending.withState("running");

    assertThat(running.state()).isEqualTo("running");
    assertThat(running).usingRecursiveComparison().ignoringFields("state").isEqualTo(pending);
    assertThat(pending.state()).isEqualTo("pending");
  }
}
