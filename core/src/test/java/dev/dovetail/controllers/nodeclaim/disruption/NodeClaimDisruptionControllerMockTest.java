package dev.dovetail.controllers.nodeclaim.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.controllers.disruption.FakeCluster;
import dev.dovetail.kube.Conditions;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Drifted and Consolidatable conditions, as upstream's nodeclaim/disruption writes them. */
class NodeClaimDisruptionControllerMockTest {
  /** What the provider answers: a drift reason, "" for not drifted, or null to throw. */
  private final AtomicReference<String> answer = new AtomicReference<>("");

  private final AtomicInteger asked = new AtomicInteger();

  /** Past the provider answer's reuse period: the next pass asks the provider again. */
  private static final Duration RECHECK = DriftDetector.RECHECK;

  private final FakeCluster c =
      new FakeCluster(
          new SimulatedCloud() {
            @Override
            public Optional<String> isDrifted(NodeClaimView claim) {
              asked.incrementAndGet();
              String a = answer.get();
              if (a == null) {
                throw new IllegalStateException("DescribeImages: throttled");
              }
              return a.isEmpty() ? Optional.empty() : Optional.of(a);
            }
          });

  @AfterEach
  void close() {
    c.close();
  }

  /** Sets the pool's consolidateAfter and waits until the controllers' cache has it. */
  private void consolidateAfter(String value) {
    NodePool pool = c.currentPool();
    pool.getSpec().getDisruption().setConsolidateAfter(value);
    c.client.resource(pool).update();
    c.await(
        () ->
            value.equals(
                c.state.nodePools().get(0).getSpec().getDisruption().getConsolidateAfter()),
        "pool update");
  }

  private Optional<Condition> condition(String node, String type) {
    NodeClaim claim = c.client.resources(NodeClaim.class).withName("claim-" + node).get();
    return Conditions.get(claim.getStatus().getConditions(), type);
  }

  @Test
  void driftedIsWrittenWithTheReasonAndRemovedWhenNoLongerDrifted() {
    c.pool("100%", "on-demand");
    String n = c.node("m5.large", "on-demand");
    c.markConditions();
    assertThat(condition(n, Karpenter.Conditions.DRIFTED)).isEmpty();

    answer.set("AMIDrift");
    c.clock.advance(RECHECK);
    c.markConditions();
    Condition drifted = condition(n, Karpenter.Conditions.DRIFTED).orElseThrow();
    assertThat(drifted.getStatus()).isEqualTo("True");
    assertThat(drifted.getReason()).isEqualTo("AMIDrift");

    answer.set("");
    c.clock.advance(RECHECK);
    c.markConditions();
    assertThat(condition(n, Karpenter.Conditions.DRIFTED)).isEmpty();
  }

  @Test
  void aProviderErrorLeavesDriftedAsItWas() {
    c.pool("100%", "on-demand");
    String n = c.node("m5.large", "on-demand");
    answer.set("AMIDrift");
    c.markConditions();
    assertThat(condition(n, Karpenter.Conditions.DRIFTED)).isPresent();

    answer.set(null); // the provider throws: not an answer, so not "not drifted"
    c.clock.advance(RECHECK);
    c.markConditions();
    assertThat(condition(n, Karpenter.Conditions.DRIFTED).orElseThrow().getStatus())
        .isEqualTo("True");
  }

  @Test
  void aNodePoolTemplateChangeIsNodePoolDrifted() {
    c.pool("100%", "on-demand");
    String n = c.node("m5.large", "on-demand");
    NodePool pool = c.currentPool();
    pool.getSpec()
        .getTemplate()
        .setMetadata(new dev.dovetail.apis.v1.NodeClaimTemplate.ObjectMeta());
    pool.getSpec().getTemplate().getMetadata().setLabels(java.util.Map.of("team", "blue"));
    c.client.resource(pool).update();
    c.await(
        () -> c.state.nodePools().get(0).getSpec().getTemplate().getMetadata() != null,
        "pool update");
    c.markConditions();
    assertThat(condition(n, Karpenter.Conditions.DRIFTED).orElseThrow().getReason())
        .isEqualTo("NodePoolDrifted");
  }

  @Test
  void consolidatableAfterConsolidateAfterAndNeverUnderNever() {
    c.pool("100%", "on-demand");
    consolidateAfter("3h");
    String n = c.node("m5.large", "on-demand");
    c.markConditions();
    assertThat(condition(n, Karpenter.Conditions.CONSOLIDATABLE)).isEmpty();

    c.clock.advance(Duration.ofHours(2)); // initialized 1h before the test started
    c.markConditions();
    assertThat(condition(n, Karpenter.Conditions.CONSOLIDATABLE).orElseThrow().getStatus())
        .isEqualTo("True");

    consolidateAfter("Never");
    c.markConditions();
    assertThat(condition(n, Karpenter.Conditions.CONSOLIDATABLE)).isEmpty();
  }

  @Test
  void theProvidersAnswerIsReusedForAWhileButAFailureIsNeverKept() {
    c.pool("100%", "on-demand");
    String n = c.node("m5.large", "on-demand");
    c.markConditions();
    c.markConditions();
    c.markConditions();
    assertThat(asked).hasValue(1); // one answer reused, not a cloud call per pass

    answer.set(null); // the provider fails once its answer is due again
    c.clock.advance(RECHECK);
    c.markConditions();
    assertThat(asked).hasValue(2);
    answer.set("AMIDrift"); // ... and is asked again on the very next pass, not after RECHECK
    c.markConditions();
    assertThat(asked).hasValue(3);
    assertThat(condition(n, Karpenter.Conditions.DRIFTED).orElseThrow().getReason())
        .isEqualTo("AMIDrift");
  }

  @Test
  void aPodEventRecordsLastPodEventTimeAndRestartsConsolidateAfter() {
    c.pool("100%", "on-demand");
    consolidateAfter("10m");
    String n = c.node("m5.large", "on-demand"); // initialized 1h ago
    c.markConditions();
    assertThat(condition(n, Karpenter.Conditions.CONSOLIDATABLE).orElseThrow().getStatus())
        .isEqualTo("True");

    c.pod(n, "100m"); // a pod is scheduled to it
    java.time.Instant podEvent = c.clock.instant();
    c.markConditions();
    NodeClaim claim = c.client.resources(NodeClaim.class).withName("claim-" + n).get();
    assertThat(claim.getStatus().getLastPodEventTime()).isEqualTo(podEvent.toString());
    assertThat(condition(n, Karpenter.Conditions.CONSOLIDATABLE)).isEmpty();

    c.clock.advance(Duration.ofMinutes(9));
    c.markConditions();
    assertThat(condition(n, Karpenter.Conditions.CONSOLIDATABLE)).isEmpty();
    c.clock.advance(Duration.ofMinutes(1));
    c.markConditions();
    assertThat(condition(n, Karpenter.Conditions.CONSOLIDATABLE)).isPresent();
  }

  @Test
  void anIdlePassChecksOnlyNodeClaimsWhoseInputsChangedOrWhoseTimersAreDue() {
    c.pool("100%", "on-demand");
    consolidateAfter("3h");
    String a = c.node("m5.large", "on-demand"); // initialized 1h ago: consolidatable in 2h
    c.node("m5.large", "on-demand");
    c.node("m5.large", "on-demand");
    NodeClaimDisruptionController conditions =
        new NodeClaimDisruptionController(
            c.client, c.state, c.cloud, c.clock, NodeClaimDisruptionController.Options.DEFAULT);
    assertThat(conditions.reconcileOnce()).isEmpty(); // nothing to write yet
    assertThat(conditions.evaluatedLastPass()).isEqualTo(3);
    int asked = this.asked.get();
    for (int i = 0; i < 3; i++) {
      conditions.reconcileOnce();
      assertThat(conditions.evaluatedLastPass()).isZero(); // nothing changed, no timer due
    }
    assertThat(this.asked).hasValue(asked);

    c.pod(a, "100m"); // a pod event on one node
    List<NodeClaimDisruptionController.Written> podEvent = conditions.reconcileOnce();
    assertThat(conditions.evaluatedLastPass()).isEqualTo(1);
    assertThat(podEvent)
        .extracting(NodeClaimDisruptionController.Written::name)
        .containsExactly("claim-" + a);
    c.await(
        () ->
            c.state
                .nodeClaim("claim-" + a)
                .map(x -> x.getStatus().getLastPodEventTime() != null)
                .orElse(false),
        "pod event in cache");

    c.clock.advance(Duration.ofHours(2)); // the other two nodes' consolidateAfter ends
    List<NodeClaimDisruptionController.Written> written = conditions.reconcileOnce();
    // "a"'s pod event restarted its consolidateAfter: only the other two are written
    assertThat(written)
        .extracting(NodeClaimDisruptionController.Written::name)
        .hasSize(2)
        .doesNotContain("claim-" + a);
    for (NodeClaimDisruptionController.Written w : written) {
      c.await(
          () ->
              c.state
                  .nodeClaim(w.name())
                  .filter(
                      x ->
                          Long.parseLong(x.getMetadata().getResourceVersion())
                              >= Long.parseLong(w.resourceVersion()))
                  .map(x -> Conditions.isTrue(x.getStatus().getConditions(), "Consolidatable"))
                  .orElse(false),
          "the written Consolidatable condition in cache");
    }
  }

  @Test
  void idlePassesWalkNothingUntilAClusterEventOrATimerIsDue() {
    c.pool("100%", "on-demand");
    consolidateAfter("3h");
    String a = c.node("m5.large", "on-demand"); // consolidatable in 2h
    c.node("m5.large", "on-demand");
    NodeClaimDisruptionController conditions =
        new NodeClaimDisruptionController(
            c.client, c.state, c.cloud, c.clock, NodeClaimDisruptionController.Options.DEFAULT);
    conditions.reconcileOnce();
    assertThat(conditions.walks()).isEqualTo(1);
    for (int i = 0; i < 5; i++) {
      c.clock.advance(Duration.ofSeconds(10));
      assertThat(conditions.reconcileOnce()).isEmpty();
    }
    assertThat(conditions.walks()).as("no event, no timer due: no NodeClaim or pod read").isOne();

    long before = c.state.generation();
    c.pod(a, "100m"); // a cluster event: the next pass walks and finds the pod event
    c.awaitEvents(before, 1);
    assertThat(conditions.reconcileOnce())
        .extracting(NodeClaimDisruptionController.Written::name)
        .containsExactly("claim-" + a);
    assertThat(conditions.walks()).isEqualTo(2);
    c.await(
        () ->
            c.state
                .nodeClaim("claim-" + a)
                .map(x -> x.getStatus().getLastPodEventTime() != null)
                .orElse(false),
        "pod event in cache");

    c.clock.advance(Duration.ofHours(2)); // the other node's consolidateAfter ends, no event
    List<NodeClaimDisruptionController.Written> written = conditions.reconcileOnce();
    assertThat(conditions.walks()).isGreaterThanOrEqualTo(3);
    assertThat(written)
        .extracting(NodeClaimDisruptionController.Written::name)
        .doesNotContain("claim-" + a);
    assertThat(written).hasSize(1);
  }
}
