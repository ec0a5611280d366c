package dev.dovetail.controllers.interruption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.InterruptionEvent;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.controllers.disruption.DisruptionController;
import dev.dovetail.controllers.disruption.FakeCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InterruptionControllerMockTest {
  private final FakeCluster c = new FakeCluster();
  private InterruptionController handler;

  @AfterEach
  void close() {
    c.close();
  }

  /** A spot node in a pool without budgets (they do not apply to interruption) with a 3-cpu pod. */
  private String spotNodeWithPod() {
    c.pool("0", "spot", "on-demand");
    String spot = c.node("m5.xlarge", "spot");
    c.pod(spot, "3");
    c.sync();
    return spot;
  }

  /** AWS's two-minute spot notice for the node. */
  private InterruptionEvent twoMinuteNotice(String node) {
    return new InterruptionEvent(
        InterruptionEvent.Kind.SPOT_INTERRUPTION,
        pid(node),
        c.clock.instant().plusSeconds(120),
        "Spot Instance Interruption Warning");
  }

  private InterruptionController handler() {
    DisruptionController d = c.controller(Duration.ofSeconds(15));
    handler = new InterruptionController(c.client, c.state, c.cloud, c.events, d, c.clock);
    return handler;
  }

  private static String pid(String node) {
    return "simulated:///" + FakeCluster.ZONE + "/" + node;
  }

  @Test
  void spotInterruptionCordonsLaunchesAReplacementAndDeletesTheNodeClaim() {
    String spot = spotNodeWithPod();
    handler().handle(twoMinuteNotice(spot));
    assertThat(c.client.nodes().withName(spot).get().getSpec().getUnschedulable()).isTrue();
    // The replacement for its 3-cpu pod is launching; the interrupted claim waits for it, but
    // never past the notice minus the drain allowance.
    List<NodeClaim> claims = c.client.resources(NodeClaim.class).list().getItems();
    assertThat(claims).hasSize(2);
    assertThat(c.claimExists(spot)).isTrue();
    assertThat(handler.advance()).isEmpty();
    c.clock.advance(Duration.ofSeconds(120).minus(InterruptionController.DRAIN_ALLOWANCE));
    assertThat(handler.advance()).containsExactly("claim-" + spot);
    c.await(() -> !c.claimExists(spot), "interrupted claim deleted");
    claims = c.client.resources(NodeClaim.class).list().getItems();
    assertThat(claims).hasSize(1); // the replacement
    assertThat(
            c.cloud
                .unavailableOfferings()
                .isUnavailable(new OfferingKey("m5.xlarge", FakeCluster.ZONE, "spot")))
        .isTrue();
    assertThat(c.eventReasons()).anyMatch(e -> e.startsWith("SpotInterrupted"));
  }

  @Test
  void theInterruptedClaimGoesAsSoonAsItsReplacementIsInitialized() {
    String spot = spotNodeWithPod();
    handler().handle(twoMinuteNotice(spot));
    NodeClaim replacement =
        c.client.resources(NodeClaim.class).list().getItems().stream()
            .filter(x -> !x.getMetadata().getName().equals("claim-" + spot))
            .findFirst()
            .orElseThrow();
    if (replacement.getStatus() == null) {
      replacement.setStatus(new dev.dovetail.apis.v1.NodeClaimStatus());
    }
    replacement
        .getStatus()
        .setConditions(
            new java.util.ArrayList<>(
                List.of(
                    new io.fabric8.kubernetes.api.model.ConditionBuilder()
                        .withType("Initialized")
                        .withStatus("True")
                        .withReason("Initialized")
                        .withLastTransitionTime(c.clock.instant().toString())
                        .build())));
    c.client.resource(replacement).updateStatus();
    c.await(
        () ->
            c.state
                .nodeClaim(replacement.getMetadata().getName())
                .map(
                    x ->
                        x.getStatus() != null
                            && dev.dovetail.kube.Conditions.isTrue(
                                x.getStatus().getConditions(), "Initialized"))
                .orElse(false),
        "replacement initialized in cache");
    assertThat(handler.advance()).containsExactly("claim-" + spot); // well before the deadline
  }

  @Test
  void podsThatFitElsewhereNeedNoReplacement() {
    c.pool("0", "on-demand");
    String doomed = c.node("m5.xlarge", "on-demand");
    c.pod(doomed, "500m");
    String roomy = c.node("m5.2xlarge", "on-demand");
    c.pod(roomy, "1");
    c.sync();
    handler()
        .handle(
            new InterruptionEvent(
                InterruptionEvent.Kind.SCHEDULED_MAINTENANCE, pid(doomed), null, "retirement"));
    assertThat(c.claimExists(doomed)).isFalse();
    assertThat(c.remainingNodes()).containsExactly("claim-" + roomy);
  }

  @Test
  void rebalanceRecommendationIsOnlyAnEvent() {
    c.pool("100%", "spot");
    String spot = c.node("m5.xlarge", "spot");
    c.sync();
    handler()
        .handle(
            new InterruptionEvent(
                InterruptionEvent.Kind.REBALANCE_RECOMMENDATION, pid(spot), null, "rebalance"));
    assertThat(c.claimExists(spot)).isTrue();
    assertThat(c.client.nodes().withName(spot).get().getSpec().getUnschedulable())
        .isNotEqualTo(Boolean.TRUE);
    assertThat(c.eventReasons()).anyMatch(e -> e.startsWith("SpotRebalanceRecommendation"));
  }

  @Test
  void onInterruptionReturnsOnlyOnceTheNodeIsCordonedAndTheNodeClaimMarked() {
    c.pool("0", "spot", "on-demand");
    String spot = c.node("m5.xlarge", "spot");
    c.sync();
    handler()
        .onInterruption(
            new InterruptionEvent(
                InterruptionEvent.Kind.SPOT_INTERRUPTION, pid(spot), null, "reclaimed"));
    // no waiting: returning means the handling is on the API server
    assertThat(c.client.nodes().withName(spot).get().getSpec().getUnschedulable()).isTrue();
    NodeClaim claim = c.client.resources(NodeClaim.class).withName("claim-" + spot).get();
    assertThat(claim == null || claim.getMetadata().getDeletionTimestamp() != null).isTrue();
  }

  @Test
  void onInterruptionThrowsWhenTheHandlingCannotBeRecorded() {
    c.pool("0", "spot", "on-demand");
    String spot = c.node("m5.xlarge", "spot");
    c.sync();
    DisruptionController d = c.controller(Duration.ofSeconds(15));
    try (io.fabric8.kubernetes.client.KubernetesClient down =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:1")
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()) {
      handler = new InterruptionController(down, c.state, c.cloud, c.events, d);
      InterruptionEvent event =
          new InterruptionEvent(
              InterruptionEvent.Kind.SPOT_INTERRUPTION, pid(spot), null, "reclaimed");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> handler.onInterruption(event))
          .isInstanceOf(RuntimeException.class);
    }
    assertThat(c.claimExists(spot)).isTrue();
  }

  @Test
  void onInterruptionThrowsWhileTheClusterStateIsNotSynced() {
    c.pool("0", "spot", "on-demand");
    String spot = c.node("m5.xlarge", "spot");
    c.sync();
    dev.dovetail.state.ClusterState cold = new dev.dovetail.state.ClusterState(c.client, c.clock);
    handler =
        new InterruptionController(
            c.client, cold, c.cloud, c.events, c.controller(Duration.ofSeconds(15)));
    InterruptionEvent event =
        new InterruptionEvent(InterruptionEvent.Kind.SPOT_INTERRUPTION, pid(spot), null, "x");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> handler.onInterruption(event))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not synced");
    assertThat(c.claimExists(spot)).isTrue();
  }

  @Test
  void aRestartedControllerResumesTheWaitRecordedOnTheNodeClaim() {
    String spot = spotNodeWithPod();
    handler().handle(twoMinuteNotice(spot));
    handler = null; // the operator dies: nothing of the wait is left in memory
    NodeClaim marked = c.client.resources(NodeClaim.class).withName("claim-" + spot).get();
    assertThat(marked.getMetadata().getAnnotations())
        .containsKeys(
            InterruptionController.DELETE_BY_ANNOTATION,
            InterruptionController.REPLACEMENTS_ANNOTATION);
    c.await(
        () ->
            c.state
                .nodeClaim("claim-" + spot)
                .map(
                    x ->
                        x.getMetadata().getAnnotations() != null
                            && x.getMetadata()
                                .getAnnotations()
                                .containsKey(InterruptionController.DELETE_BY_ANNOTATION))
                .orElse(false),
        "wait in cache");

    InterruptionController restarted = handler(); // a new operator on the same API
    assertThat(restarted.advance()).isEmpty(); // the replacement is not ready: still waiting
    assertThat(c.claimExists(spot)).isTrue();
    c.clock.advance(Duration.ofSeconds(120).minus(InterruptionController.DRAIN_ALLOWANCE));
    assertThat(restarted.advance()).containsExactly("claim-" + spot);
    c.await(() -> !c.claimExists(spot), "interrupted claim deleted after the restart");
  }

  @Test
  void anIdlePassReadsNoNodeClaimsUntilOneChanges() {
    String spot = spotNodeWithPod();
    InterruptionController idle = handler();
    assertThat(idle.advance()).isEmpty(); // the first pass looks for waits an earlier run recorded
    long scans = idle.fullScans();
    for (int i = 0; i < 5; i++) {
      assertThat(idle.advance()).isEmpty();
    }
    assertThat(idle.fullScans()).isEqualTo(scans); // nothing changed: no NodeClaim was walked

    idle.handle(twoMinuteNotice(spot)); // writes the wait on the NodeClaim: a change
    c.await(() -> idle.claimsChangedSinceLastPass(), "NodeClaim change seen");
    assertThat(idle.advance()).isEmpty(); // the replacement is not ready yet
    assertThat(idle.fullScans()).isEqualTo(scans + 1);
    c.clock.advance(Duration.ofSeconds(120).minus(InterruptionController.DRAIN_ALLOWANCE));
    assertThat(idle.advance()).containsExactly("claim-" + spot); // the known wait's deadline
  }
}
