package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.state.NodePoolHealth.Status;
import org.junit.jupiter.api.Test;

/** Upstream's registration-health buffer: four outcomes, unhealthy at half failed. */
class NodePoolHealthTest {
  private final NodePoolHealth health = new NodePoolHealth();

  @Test
  void halfOfFourFailedIsUnhealthyAndSetsFalseOnce() {
    assertThat(health.status("p")).isEqualTo(Status.UNKNOWN);
    health.failed("p", "LaunchFailed", "quota");
    assertThat(health.status("p")).isEqualTo(Status.HEALTHY); // 1 of 4
    assertThat(health.verdict("p")).isEmpty(); // a failure never sets True
    health.failed("p", "RegistrationFailed", "Failed to register node");
    assertThat(health.status("p")).isEqualTo(Status.UNHEALTHY);
    assertThat(health.verdict("p").orElseThrow().healthy()).isFalse();
    assertThat(health.verdict("p").orElseThrow().reason()).isEqualTo("RegistrationFailed");
  }

  @Test
  void successesRecoverOnlyOnceFailuresFallBelowHalf() {
    health.failed("p", "LaunchFailed", "");
    health.failed("p", "LaunchFailed", "");
    health.registered("p"); // f f t: still half failed
    assertThat(health.verdict("p").orElseThrow().healthy()).isFalse();
    health.registered("p"); // f f t t
    assertThat(health.verdict("p").orElseThrow().healthy()).isFalse();
    health.registered("p"); // f t t t (the oldest dropped)
    assertThat(health.status("p")).isEqualTo(Status.HEALTHY);
    assertThat(health.verdict("p").orElseThrow().healthy()).isTrue();
  }

  @Test
  void resetForgetsAndHydrateStartsFromTheCondition() {
    health.registered("p");
    health.reset("p");
    assertThat(health.status("p")).isEqualTo(Status.UNKNOWN);
    assertThat(health.verdict("p")).isEmpty();

    health.hydrate("q", "False");
    assertThat(health.status("q")).isEqualTo(Status.UNHEALTHY);
    health.registered("q"); // f f t
    assertThat(health.status("q")).isEqualTo(Status.UNHEALTHY);
    health.hydrate("r", "True");
    assertThat(health.status("r")).isEqualTo(Status.HEALTHY);
    health.hydrate("r", "False"); // only an empty buffer is hydrated
    assertThat(health.status("r")).isEqualTo(Status.HEALTHY);
  }
}
