package dev.dovetail.controllers.staticcapacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.controllers.disruption.FakeCluster;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A static NodePool keeps exactly spec.replicas NodeClaims, within limits.nodes. */
class StaticCapacityControllerMockTest {
  private final FakeCluster c = new FakeCluster();
  private final StaticCapacityController controller =
      new StaticCapacityController(
          c.client,
          c.state,
          c.cloud,
          c.events,
          new StaticCapacityController.Options(true, java.time.Duration.ofSeconds(10)));

  @AfterEach
  void close() {
    c.close();
  }

  private void replicas(long n, Map<String, Quantity> limits) {
    NodePool pool = c.currentPool();
    pool.getSpec().setReplicas(n);
    pool.getSpec().setWeight(null);
    pool.getSpec().setLimits(limits);
    c.client.resource(pool).update();
    c.await(
        () -> Long.valueOf(n).equals(c.state.nodePools().get(0).getSpec().getReplicas()), "pool");
  }

  private List<NodeClaim> live() {
    return c.client.resources(NodeClaim.class).list().getItems().stream()
        .filter(nc -> nc.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private StaticCapacityController.Result pass() {
    c.sync();
    List<StaticCapacityController.Result> r = controller.reconcileOnce();
    assertThat(r).hasSize(1);
    c.sync();
    return r.get(0);
  }

  @Test
  void scalesUpAndDownWithReplicas() {
    c.pool("100%", "on-demand");
    replicas(3, null);
    assertThat(pass().created()).hasSize(3);
    assertThat(live()).hasSize(3);
    assertThat(live())
        .allSatisfy(
            nc -> {
              assertThat(nc.getMetadata().getLabels())
                  .containsEntry("karpenter.sh/nodepool", "default");
              assertThat(nc.getSpec().getRequirements()).isNotEmpty();
            });
    assertThat(pass().created()).isEmpty(); // steady

    replicas(1, null);
    assertThat(pass().deleted()).hasSize(2);
    c.await(() -> live().size() == 1, "surplus deleted");
    StaticCapacityController.Result steady = pass();
    assertThat(steady.created()).isEmpty();
    assertThat(steady.deleted()).isEmpty();
  }

  @Test
  void anInitializedBusyNodeIsKeptWhenScalingDown() {
    c.pool("100%", "on-demand");
    String busy = c.node("m5.large", "on-demand");
    c.pod(busy, "1");
    replicas(3, null);
    assertThat(pass().created()).hasSize(2); // the existing node counts
    replicas(1, null);
    assertThat(pass().deleted()).hasSize(2).doesNotContain("claim-" + busy);
  }

  @Test
  void limitsNodesCapsTheReplicas() {
    c.pool("100%", "on-demand");
    replicas(5, Map.of("nodes", new Quantity("2")));
    StaticCapacityController.Result r = pass();
    assertThat(r.created()).hasSize(2);
    assertThat(r.why()).contains("limit on nodes");
    assertThat(live()).hasSize(2);
  }

  @Test
  void aDriftedStaticNodeIsReplacedOneForOneAndNeverConsolidated() {
    c.pool("100%", "on-demand");
    String busy = c.node("m5.4xlarge", "on-demand"); // far too big for its pod
    c.pod(busy, "100m");
    String empty = c.node("m5.large", "on-demand");
    replicas(2, null);
    var disruption = c.controller(java.time.Duration.ZERO);
    c.sync();
    c.markConditions();
    assertThat(disruption.reconcileOnce()).isEmpty(); // static: no emptiness, no consolidation

    NodePool pool = c.currentPool();
    pool.getSpec()
        .getTemplate()
        .setMetadata(new dev.dovetail.apis.v1.NodeClaimTemplate.ObjectMeta());
    pool.getSpec().getTemplate().getMetadata().setLabels(Map.of("team", "blue"));
    c.client.resource(pool).update();
    c.await(
        () -> c.state.nodePools().get(0).getSpec().getTemplate().getMetadata() != null,
        "pool update");
    c.sync();
    c.markConditions();
    var cmd = disruption.reconcileOnce().orElseThrow();
    assertThat(cmd.method())
        .isEqualTo(dev.dovetail.controllers.disruption.model.Method.STATIC_DRIFT);
    assertThat(cmd.candidates()).hasSize(2); // budget 100%
    assertThat(cmd.replacements()).hasSize(2);
    assertThat(cmd.replacements())
        .allSatisfy(r -> assertThat(r.labels()).containsEntry("team", "blue"));
    // The static controller does not count the tainted, leaving nodes: replicas stay at 2.
    c.sync();
    assertThat(controller.reconcileOnce().get(0).created()).isEmpty();
  }

  @Test
  void dynamicPoolsAreNotTouched() {
    c.pool("100%", "on-demand");
    c.sync();
    assertThat(controller.reconcileOnce()).isEmpty();
    assertThat(live()).isEmpty();
  }
}
