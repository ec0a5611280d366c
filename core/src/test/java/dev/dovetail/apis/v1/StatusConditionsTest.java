package dev.dovetail.apis.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusConditionsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

  @Test
  void transitionTimeMovesOnlyWhenTheStatusChanges() {
    NodeClaimStatus status = new NodeClaimStatus();
    String launched = Karpenter.Conditions.LAUNCHED;
    assertThat(
            StatusConditions.set(
                status.getConditions(), launched, "Unknown", "Launching", null, T0, 1L))
        .isTrue();
    assertThat(
            StatusConditions.set(
                status.getConditions(), launched, "Unknown", "Launching", "", T1, 1L))
        .isFalse();
    assertThat(StatusConditions.find(status.getConditions(), launched))
        .get()
        .extracting(Condition::getLastTransitionTime)
        .isEqualTo("2026-01-01T00:00:00Z");
    assertThat(
            StatusConditions.set(status.getConditions(), launched, "True", "Launched", "", T1, 1L))
        .isTrue();
    assertThat(StatusConditions.isTrue(status.getConditions(), launched)).isTrue();
    assertThat(status.getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:05:00Z");
              assertThat(c.getReason()).isEqualTo("Launched");
            });
    assertThat(StatusConditions.remove(status.getConditions(), launched)).isTrue();
    assertThat(StatusConditions.isTrue(status.getConditions(), launched)).isFalse();
  }
}
