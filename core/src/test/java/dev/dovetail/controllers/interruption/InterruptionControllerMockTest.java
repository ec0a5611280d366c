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
    if (handler != null) {
      handler.close();
    }
    c.close();
  }

  private InterruptionController handler() {
    DisruptionController d = c.controller(Duration.ofSeconds(15));
    handler = new InterruptionController(c.client, c.state, c.cloud, c.events, d);
    return handler;
  }

  private static String pid(String node) {
    return "simulated:///" + FakeCluster.ZONE + "/" + node;
  }

  @Test
  void spotInterruptionCordonsLaunchesAReplacementAndDeletesTheNodeClaim() {
    c.pool("0", "spot", "on-demand"); // budgets do not apply to interruption
    String spot = c.node("m5.xlarge", "spot");
    c.pod(spot, "3");
    c.sync();
    handler()
        .handle(
            new InterruptionEvent(
                InterruptionEvent.Kind.SPOT_INTERRUPTION,
                pid(spot),
                c.clock.instant().plusSeconds(120),
                "Spot Instance Interruption Warning"));
    assertThat(c.claimExists(spot)).isFalse();
    assertThat(c.client.nodes().withName(spot).get().getSpec().getUnschedulable()).isTrue();
    List<NodeClaim> claims = c.client.resources(NodeClaim.class).list().getItems();
    assertThat(claims).hasSize(1); // the replacement for its 3-cpu pod
    assertThat(
            c.cloud
                .unavailableOfferings()
                .isUnavailable(new OfferingKey("m5.xlarge", FakeCluster.ZONE, "spot")))
        .isTrue();
    assertThat(c.eventReasons()).anyMatch(e -> e.startsWith("SpotInterrupted"));
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
}
