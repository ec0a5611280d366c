package dev.dovetail.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PodProgressTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final PodProgress progress = new PodProgress(now::get);

  private static Pod pending(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .withNewStatus()
        .withPhase("Pending")
        .addNewCondition()
        .withType("PodScheduled")
        .withStatus("False")
        .withReason("Unschedulable")
        .endCondition()
        .endStatus()
        .build();
  }

  private static Pod bound(String name) {
    Pod p = pending(name);
    p.getSpec().setNodeName("node-1");
    p.getStatus().setConditions(java.util.List.of());
    p.getStatus().setPhase("Running");
    return p;
  }

  @Test
  void theLastNewlyPendingPodIsWhenAPodWasFirstSeenPending() {
    assertThat(progress.lastNewPendingNanos()).isEmpty();

    progress.seen(pending("a"));
    now.set(2_000);
    progress.seen(pending("b"));
    now.set(3_000);
    progress.seen(pending("a")); // an update of a pod already seen pending

    assertThat(progress.lastNewPendingNanos()).hasValue(2_000);
  }

  @Test
  void countsBoundPodsThroughBindsAndDeletes() {
    progress.seen(pending("a"));
    progress.seen(bound("a"));
    progress.seen(bound("b"));
    assertThat(progress.bound()).isEqualTo(2);

    // The cache tells its deletion listeners, then its listeners, of the same deleted object.
    Pod gone = bound("b");
    progress.deleted(gone);
    progress.seen(gone);
    assertThat(progress.bound()).isEqualTo(1);

    // Recreated pending by its ReplicaSet under the same name, then bound again.
    progress.seen(pending("b"));
    assertThat(progress.bound()).isEqualTo(1);
    progress.seen(bound("b"));
    assertThat(progress.bound()).isEqualTo(2);
  }
}
