package dev.dovetail.controllers.node.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.controllers.disruption.FakeCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated cloud's repair policy: Ready=False for 30 minutes. */
class NodeRepairControllerMockTest {
  private final FakeCluster c = new FakeCluster();

  @AfterEach
  void close() {
    c.close();
  }

  private void notReadySince(String node, Instant since) {
    Node n = c.client.nodes().withName(node).get();
    n.getStatus()
        .setConditions(
            List.of(
                new NodeConditionBuilder()
                    .withType("Ready")
                    .withStatus("False")
                    .withLastTransitionTime(since.toString())
                    .build()));
    c.client.resource(n).updateStatus();
    c.await(
        () ->
            c.state.node(node).get().getStatus().getConditions().stream()
                .anyMatch(x -> "False".equals(x.getStatus())),
        "condition");
  }

  @Test
  void aNodeUnhealthyBeyondTheTolerationIsReplaced() {
    c.pool("0", "on-demand"); // budgets do not apply to repair
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      nodes.add(c.node("m5.large", "on-demand"));
    }
    NodeRepairController repair =
        new NodeRepairController(c.client, c.state, c.cloud, c.events, c.clock);
    notReadySince(nodes.get(0), c.clock.instant().minus(Duration.ofMinutes(10)));
    assertThat(repair.reconcileOnce()).isEmpty(); // within the toleration
    c.clock.advance(Duration.ofMinutes(21));
    assertThat(repair.reconcileOnce()).containsExactly("claim-" + nodes.get(0));
    assertThat(c.claimExists(nodes.get(0))).isFalse();
    assertThat(c.remainingNodes()).hasSize(4);
  }

  @Test
  void repairIsBlockedWhenMoreThanTwentyPercentOfAPoolIsUnhealthy() {
    c.pool("100%", "on-demand");
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      nodes.add(c.node("m5.large", "on-demand"));
    }
    Instant longAgo = c.clock.instant().minus(Duration.ofHours(1));
    notReadySince(nodes.get(0), longAgo);
    notReadySince(nodes.get(1), longAgo);
    NodeRepairController repair =
        new NodeRepairController(c.client, c.state, c.cloud, c.events, c.clock);
    assertThat(repair.reconcileOnce()).isEmpty();
    assertThat(c.remainingNodes()).hasSize(5);
    assertThat(c.eventReasons()).anyMatch(e -> e.startsWith("NodeRepairBlocked"));
  }

  @Test
  void repairedNodeClaimIsMarkedForForcefulTermination() {
    c.pool("100%", "on-demand");
    String n = c.node("m5.large", "on-demand");
    // keep it around after delete so the annotation can be read
    c.client
        .resources(NodeClaim.class)
        .withName("claim-" + n)
        .edit(
            x -> {
              x.getMetadata().setFinalizers(List.of(Karpenter.TERMINATION_FINALIZER));
              return x;
            });
    notReadySince(n, c.clock.instant().minus(Duration.ofHours(1)));
    new NodeRepairController(c.client, c.state, c.cloud, c.events, c.clock).reconcileOnce();
    NodeClaim claim = c.client.resources(NodeClaim.class).withName("claim-" + n).get();
    assertThat(claim.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(claim.getMetadata().getAnnotations())
        .containsKey(Karpenter.NODECLAIM_TERMINATION_TIMESTAMP_ANNOTATION);
  }
}
