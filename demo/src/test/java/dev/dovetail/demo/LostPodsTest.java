package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** "Lost" as the demo counts it, on constructed end states. */
class LostPodsTest {
  private static final Set<String> NODES = Set.of("node-a", "node-b");

  @Test
  void aControllersPodReplacedUnderAnotherNameIsNotLost() {
    Pod wanted = owned("web-abcde", "ReplicaSet", "web");
    Pod replacement = running(owned("web-fghij", "ReplicaSet", "web"), "node-b");

    assertThat(LostPods.of(List.of(wanted), List.of(replacement), NODES)).isEmpty();
  }

  @Test
  void aControllerShortOfRunningPodsLosesTheOnesThatAreNotRunning() {
    Pod a = owned("api-1", "ReplicaSet", "api");
    Pod b = owned("api-2", "ReplicaSet", "api");
    Pod c = owned("api-3", "ReplicaSet", "api");
    Pod pendingC =
        new PodBuilder(c)
            .withNewStatus()
            .withPhase("Pending")
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/2 nodes are available")
            .endCondition()
            .endStatus()
            .build();

    var lost =
        LostPods.of(
            List.of(a, b, c), List.of(running(a, "node-a"), running(b, "node-b"), pendingC), NODES);

    assertThat(lost)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.pod()).isEqualTo("default/api-3");
              assertThat(l.controller()).isEqualTo("ReplicaSet/default/api");
              assertThat(l.reason()).contains("pending", "Unschedulable");
            });
  }

  @Test
  void aNakedPodThatWasEvictedIsLost() {
    Pod naked = new PodBuilder(pod("debug")).build();

    var lost = LostPods.of(List.of(naked), List.of(), NODES);

    assertThat(lost)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.controller()).isNull();
              assertThat(l.reason()).contains("deleted", "naked");
            });
  }

  @Test
  void aPodStillBoundToANodeThatIsGoneIsLostAndSaysWhere() {
    Pod wanted = owned("db-0", "StatefulSet", "db");

    var lost = LostPods.of(List.of(wanted), List.of(running(wanted, "node-gone")), NODES);

    assertThat(lost).singleElement().satisfies(l -> assertThat(l.reason()).contains("node-gone"));
  }

  @Test
  void aStatefulSetPodRecreatedUnderItsNameAndRunningIsNotLost() {
    Pod wanted = owned("db-0", "StatefulSet", "db");

    assertThat(LostPods.of(List.of(wanted), List.of(running(wanted, "node-a")), NODES)).isEmpty();
  }

  @Test
  void daemonSetPodsAndCompletedJobPodsAreNeverLost() {
    Pod ds = owned("agent-x", "DaemonSet", "agent");
    Pod job = owned("migrate-x", "Job", "migrate");
    Pod done =
        new PodBuilder(job)
            .editSpec()
            .withNodeName("node-gone")
            .endSpec()
            .withNewStatus()
            .withPhase("Succeeded")
            .endStatus()
            .build();

    assertThat(LostPods.of(List.of(ds, job), List.of(done), NODES)).isEmpty();
  }

  @Test
  void aPodBeingDeletedIsNotRunning() {
    Pod wanted = owned("web-1", "ReplicaSet", "web");
    Pod terminating =
        new PodBuilder(running(wanted, "node-a"))
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:00Z")
            .endMetadata()
            .build();

    assertThat(LostPods.of(List.of(wanted), List.of(terminating), NODES))
        .singleElement()
        .satisfies(l -> assertThat(l.reason()).isEqualTo("being deleted"));
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .build();
  }

  private static Pod owned(String name, String kind, String owner) {
    return new PodBuilder(pod(name))
        .editMetadata()
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind(kind)
                .withName(owner)
                .withUid("uid-" + owner)
                .withController(true)
                .build())
        .endMetadata()
        .build();
  }

  private static Pod running(Pod p, String node) {
    return new PodBuilder(p)
        .editSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus()
        .build();
  }
}
