package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the scale-down counts as settled: the bound count alone is not enough. */
class ScaleDownSettledTest {
  private static Demo.Summary summary(int bound, int pending, int claims, int initialized) {
    return new Demo.Summary(
        170,
        new Demo.Summary.Pods(120, bound, pending),
        claims,
        claims,
        claims,
        initialized,
        claims,
        3.25,
        0.5,
        0.8,
        Map.of(),
        Map.of(),
        Map.of(),
        null,
        null);
  }

  @Test
  void aSettledClusterWithNothingLostIsSettled() {
    assertThat(ScaleDownPhase.settled(false, summary(120, 0, 54, 54), 120, List.of())).isTrue();
  }

  @Test
  void aFullBoundCountWithWantedPodsMissingIsNotSettled() {
    // the evidence (seed 1 under load): "pods bound 120/120, pending 0" while 9 wanted pods of
    // web-d7091 were gone; the phase ended as settled and counted them lost
    List<LostPods.Lost> missing =
        List.of(
            new LostPods.Lost(
                "default/web-d7091-rfrsj", "ReplicaSet/default/web-d7091", "deleted"));
    assertThat(ScaleDownPhase.settled(false, summary(120, 0, 54, 54), 120, missing)).isFalse();
  }

  @Test
  void busyConsolidationPendingPodsOrUninitializedClaimsAreNotSettled() {
    assertThat(ScaleDownPhase.settled(true, summary(120, 0, 54, 54), 120, List.of())).isFalse();
    assertThat(ScaleDownPhase.settled(false, summary(119, 1, 54, 54), 120, List.of())).isFalse();
    assertThat(ScaleDownPhase.settled(false, summary(120, 0, 54, 53), 120, List.of())).isFalse();
  }
}
