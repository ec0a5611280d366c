package dev.dovetail.controllers.nodeclaim.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimStatus;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.EmbeddedApiServer;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which NodeClaim the lifecycle wakes for a cluster-state event, from the cluster state's
 * provider-ID map: a Node wakes the claim with its providerID, and a claim not registered yet wakes
 * itself once its Node is cached, whichever of the two the cluster state heard of first.
 */
class NodeEventsWakeClaimsMockTest {
  private final EmbeddedApiServer api = EmbeddedApiServer.start();
  private final KubernetesClient client = api.client();
  private final ClusterState state = new ClusterState(client, Clock.systemUTC()).start();

  @AfterEach
  void stop() {
    state.close();
    client.close();
    api.close();
  }

  @Test
  void aNodeWakesTheClaimWithItsProviderIdAndAnUnregisteredClaimWakesItselfOnceItsNodeIsCached()
      throws Exception {
    NodeClaim launched = launched("claim-a", "sim:///i-1");
    Node unrelated = Harness.node("node-x", "sim:///i-9");
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.nodeClaimNameByProviderId("sim:///i-1").isPresent(),
        () -> "the claim's provider ID is cached");

    assertThat(NodeClaimLifecycleReconciler.claimWoken(state, launched))
        .as("no node yet: nothing to register")
        .isEmpty();
    assertThat(NodeClaimLifecycleReconciler.claimWoken(state, unrelated)).isEmpty();

    Node node = client.resource(Harness.node("node-a", "sim:///i-1")).create();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.nodeByProviderId("sim:///i-1").isPresent(),
        () -> "the node is cached");

    assertThat(NodeClaimLifecycleReconciler.claimWoken(state, node))
        .contains(new ResourceID("claim-a"));
    assertThat(NodeClaimLifecycleReconciler.claimWoken(state, launched))
        .contains(new ResourceID("claim-a"));

    launched
        .getStatus()
        .setConditions(
            List.of(
                new ConditionBuilder()
                    .withType(Karpenter.Conditions.REGISTERED)
                    .withStatus("True")
                    .build()));
    assertThat(NodeClaimLifecycleReconciler.claimWoken(state, launched))
        .as("a registered claim's own updates reach the lifecycle through its own cache")
        .isEmpty();
    assertThat(NodeClaimLifecycleReconciler.claimWoken(state, "not a node")).isEmpty();
  }

  private NodeClaim launched(String name, String providerId) {
    NodeClaim claim = client.resource(Harness.nodeClaim(name, null)).create();
    claim.setStatus(new NodeClaimStatus());
    claim.getStatus().setProviderID(providerId);
    return client.resource(claim).updateStatus();
  }
}
