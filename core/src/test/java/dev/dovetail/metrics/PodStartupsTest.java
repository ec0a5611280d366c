package dev.dovetail.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStartupsTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private final PodStartups startups = new PodStartups();

  @Test
  void measuredOnceFromCreationToTheReadyTransition() {
    Pod ready = pod("a", "Running", CREATED.plusSeconds(12));
    assertThat(startups.startup(ready, CREATED.plusSeconds(60))).contains(Duration.ofSeconds(12));
    assertThat(startups.startup(ready, CREATED.plusSeconds(70))).isEmpty();
  }

  @Test
  void pendingPodsAreNotMeasuredAndRunningWithoutReadyTimeIsMeasuredToNow() {
    assertThat(startups.startup(pod("b", "Pending", null), CREATED.plusSeconds(5))).isEmpty();
    assertThat(startups.startup(pod("b", "Running", null), CREATED.plusSeconds(9)))
        .contains(Duration.ofSeconds(9));
  }

  @Test
  void aPodGoneFromTheClusterIsForgotten() {
    Pod p = pod("c", "Running", null);
    assertThat(startups.startup(p, CREATED.plusSeconds(1))).isPresent();
    startups.retain(List.of());
    // a new pod with the same UID could only be the same object again: measured anew
    assertThat(startups.startup(p, CREATED.plusSeconds(2))).isPresent();
  }

  @Test
  void anUnparsableCreationTimeIsSkippedNotFatal() {
    Pod p = pod("d", "Running", null);
    p.getMetadata().setCreationTimestamp("yesterday");
    assertThat(startups.startup(p, CREATED)).isEmpty();
  }

  private static Pod pod(String uid, String phase, Instant readyAt) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(uid)
            .withUid(uid)
            .withCreationTimestamp(CREATED.toString())
            .endMetadata()
            .withNewStatus()
            .withPhase(phase)
            .endStatus();
    if (readyAt != null) {
      b.editStatus()
          .addNewCondition()
          .withType("Ready")
          .withStatus("True")
          .withLastTransitionTime(readyAt.toString())
          .endCondition()
          .endStatus();
    }
    return b.build();
  }
}
