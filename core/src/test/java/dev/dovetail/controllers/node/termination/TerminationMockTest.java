package dev.dovetail.controllers.node.termination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.Conditions;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Termination on the embedded API with the simulated cloud: drain, budgets, grace, by-hand. The
 * waits are a minute of wall time (they end as soon as the condition holds): the controller resyncs
 * every 5 s, and a CI run on a machine at load 100 missed a 20 s wait.
 */
class TerminationMockTest {
  private Harness h;
  private SimulatedCloud cloud;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud();
    h = new Harness().start(cloud);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void drainBlockedByABudgetWaitsAndCompletesWhenTheBudgetAllows() throws Exception {
    NodeClaim claim = h.launch(Harness.nodeClaim("c1", null));
    String node = claim.getStatus().getNodeName();
    h.client.resource(Harness.boundPod("web-1", node, Map.of("tier", "web"))).create();
    h.client.resource(Harness.boundPod("web-2", node, Map.of("tier", "web"))).create();
    h.client.resource(pdb("web", 2)).create();
    awaitPodsInState(2);

    h.client.resources(NodeClaim.class).withName("c1").delete();

    Eventually.await(
        Duration.ofSeconds(60),
        () -> {
          NodeClaim c = h.client.resources(NodeClaim.class).withName("c1").get();
          return c != null
              && Conditions.get(c.getStatus().getConditions(), Karpenter.Conditions.DRAINED)
                  .map(d -> "False".equals(d.getStatus()) && d.getMessage().contains("2 blocked"))
                  .orElse(false);
        },
        () -> "drain not reported blocked: " + h.nodeClaims());
    Node n = h.client.nodes().withName(node).get();
    assertThat(n.getSpec().getTaints())
        .anyMatch(
            t ->
                t.getKey().equals(Karpenter.DISRUPTED_TAINT_KEY)
                    && t.getEffect().equals("NoSchedule"));
    assertThat(pods()).extracting(p -> p.getMetadata().getName()).contains("web-1", "web-2");
    assertThat(cloud.list()).hasSize(1);
    assertThat(events("FailedDraining")).isNotEmpty();

    // The budget allows one disruption: one pod goes, the other waits.
    h.client.resource(pdb("web", 1)).update();
    Eventually.await(
        Duration.ofSeconds(60), () -> pods().size() == 1, () -> "pods: " + names(pods()));
    assertThat(h.client.resources(NodeClaim.class).withName("c1").get()).isNotNull();

    // Now every pod may go: the node drains and the machine is terminated.
    h.client.resource(pdb("web", 0)).update();
    awaitGone(node);
    assertThat(pods()).isEmpty();
    assertThat(cloud.list()).isEmpty();
  }

  @Test
  void podsAreEvictedInKarpentersOrderCriticalAndDaemonSetPodsLast() throws Exception {
    NodeClaim claim = h.launch(Harness.nodeClaim("c5", null));
    String node = claim.getStatus().getNodeName();
    h.client.resource(Harness.boundPod("app", node, Map.of("tier", "app"))).create();
    Pod daemon = Harness.boundPod("daemon", node, Map.of());
    daemon
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                    .withApiVersion("apps/v1")
                    .withKind("DaemonSet")
                    .withName("ds")
                    .withUid("ds-uid")
                    .withController(true)
                    .build()));
    h.client.resource(daemon).create();
    Pod critical = Harness.boundPod("critical", node, Map.of());
    critical.getSpec().setPriorityClassName("system-cluster-critical");
    h.client.resource(critical).create();
    h.client.resource(pdb("app", 1)).create(); // holds the first tier
    awaitPodsInState(3);

    h.client.resources(NodeClaim.class).withName("c5").delete();
    Eventually.await(
        Duration.ofSeconds(60),
        () -> !events("FailedDraining").isEmpty(),
        () -> "no blocked eviction: " + names(pods()));
    // While a non-critical pod stays, later tiers are not touched.
    assertThat(names(pods())).containsExactly("app", "critical", "daemon");

    h.client.resource(pdb("app", 0)).update();
    Eventually.await(
        Duration.ofSeconds(60),
        () -> !names(pods()).contains("app"),
        () -> "app not evicted: " + names(pods()));
    awaitGone(node);
    assertThat(pods()).isEmpty();
    assertThat(Drainer.tier(critical)).isEqualTo(2);
    assertThat(Drainer.tier(daemon)).isEqualTo(1);
  }

  @Test
  void doNotDisruptPodsStayUntilTheTerminationGracePeriodElapses() throws Exception {
    NodeClaim claim = h.launch(Harness.nodeClaim("c2", "60s"));
    String node = claim.getStatus().getNodeName();
    Pod guarded = Harness.boundPod("guarded", node, Map.of());
    guarded.getMetadata().setAnnotations(Map.of(Karpenter.DO_NOT_DISRUPT_ANNOTATION, "true"));
    h.client.resource(guarded).create();
    h.client.resource(Harness.boundPod("plain", node, Map.of())).create();
    awaitPodsInState(2);

    h.client.resources(NodeClaim.class).withName("c2").delete();

    Eventually.await(
        Duration.ofSeconds(60),
        () -> names(pods()).equals(List.of("guarded")),
        () -> "pods: " + names(pods()));
    Eventually.await(
        Duration.ofSeconds(60),
        () -> {
          NodeClaim c = h.client.resources(NodeClaim.class).withName("c2").get();
          return c.getMetadata().getAnnotations() != null
              && c.getMetadata()
                  .getAnnotations()
                  .containsKey(Karpenter.NODECLAIM_TERMINATION_TIMESTAMP_ANNOTATION);
        },
        () -> "no termination timestamp: " + h.nodeClaims());
    assertThat(cloud.list()).hasSize(1);
    assertThat(h.client.resources(NodeClaim.class).withName("c2").get()).isNotNull();

    // The pod's own grace period (default 30 s) must end by the deadline: it is deleted 30 s
    // before it, do-not-disrupt notwithstanding (gracefully: it stays terminating here, as no
    // kubelet runs).
    // The deadline counts from the API server's deletionTimestamp (wall time), not from the
    // test's clock: set the clock from the recorded deadline, so a slow machine (seconds between
    // the harness start and the delete) does not leave the clock short of it.
    java.time.Instant deadline =
        java.time.Instant.parse(
            h.client
                .resources(NodeClaim.class)
                .withName("c2")
                .get()
                .getMetadata()
                .getAnnotations()
                .get(Karpenter.NODECLAIM_TERMINATION_TIMESTAMP_ANNOTATION));
    h.clock.set(deadline.minus(Duration.ofSeconds(29)));
    Eventually.await(
        Duration.ofSeconds(60),
        () ->
            pods().stream()
                    .anyMatch(
                        p ->
                            p.getMetadata().getName().equals("guarded")
                                && p.getMetadata().getDeletionTimestamp() != null)
                || pods().isEmpty(),
        () -> "guarded pod not deleted: " + pods());
    // A pod still terminating holds the drain until the deadline; one the server removed at once
    // leaves the node drained, and then the claim may go before the deadline (as upstream's does).
    if (!pods().isEmpty()) {
      assertThat(h.client.resources(NodeClaim.class).withName("c2").get()).isNotNull();
    }

    // At the deadline the instance is terminated whatever still runs on it.
    h.clock.set(deadline.plusSeconds(1));
    awaitGone(node);
    assertThat(cloud.list()).isEmpty();
  }

  @Test
  void deletingTheNodeByHandGoesThroughTermination() throws Exception {
    NodeClaim claim = h.launch(Harness.nodeClaim("c3", null));
    String node = claim.getStatus().getNodeName();
    h.client.resource(Harness.boundPod("app", node, Map.of())).create();
    awaitPodsInState(1);
    assertThat(h.client.nodes().withName(node).get().getMetadata().getFinalizers())
        .contains(Karpenter.TERMINATION_FINALIZER);

    h.client.nodes().withName(node).delete();

    awaitGone(node);
    assertThat(pods()).isEmpty();
    assertThat(cloud.list()).isEmpty();
  }

  @Test
  void volumeAttachmentsHoldTerminationUntilDetached() throws Exception {
    NodeClaim claim = h.launch(Harness.nodeClaim("c4", null));
    String node = claim.getStatus().getNodeName();
    h.client
        .storage()
        .v1()
        .volumeAttachments()
        .resource(
            new io.fabric8.kubernetes.api.model.storage.VolumeAttachmentBuilder()
                .withNewMetadata()
                .withName("va-1")
                .endMetadata()
                .withNewSpec()
                .withAttacher("ebs.csi.aws.com")
                .withNodeName(node)
                .withNewSource()
                .withPersistentVolumeName("pv-1")
                .endSource()
                .endSpec()
                .build())
        .create();

    h.client.resources(NodeClaim.class).withName("c4").delete();
    Eventually.await(
        Duration.ofSeconds(60),
        () -> {
          NodeClaim c = h.client.resources(NodeClaim.class).withName("c4").get();
          return c != null
              && Conditions.get(
                      c.getStatus().getConditions(), Karpenter.Conditions.VOLUMES_DETACHED)
                  .map(d -> "False".equals(d.getStatus()))
                  .orElse(false);
        },
        () -> "not waiting for volumes: " + h.nodeClaims());
    assertThat(cloud.list()).hasSize(1);

    h.client.storage().v1().volumeAttachments().withName("va-1").delete();
    awaitGone(node);
    assertThat(cloud.list()).isEmpty();
  }

  private void awaitGone(String node) throws InterruptedException {
    Eventually.await(
        Duration.ofSeconds(60),
        () -> h.nodeClaims().isEmpty() && h.client.nodes().withName(node).get() == null,
        () -> "not terminated: " + h.nodeClaims() + " pods " + names(pods()));
  }

  private void awaitPodsInState(int n) throws InterruptedException {
    Eventually.await(
        Duration.ofSeconds(60),
        () -> h.dovetail.state().pods().size() == n,
        () -> "cluster state has " + h.dovetail.state().pods().size() + " pods");
  }

  private List<Pod> pods() {
    return h.client.pods().inNamespace("default").list().getItems();
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }

  private List<io.fabric8.kubernetes.api.model.events.v1.Event> events(String reason) {
    return h.client.events().v1().events().inAnyNamespace().list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private static PodDisruptionBudget pdb(String tier, int minAvailable) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(tier)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withMinAvailable(new IntOrString(minAvailable))
        .withNewSelector()
        .addToMatchLabels("tier", tier)
        .endSelector()
        .endSpec()
        .build();
  }
}
