package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimStatus;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster state answers node-by-provider-ID and claim-by-provider-ID from its informers, and a
 * listener hearing of a Node already finds it by its provider ID (the NodeClaim lifecycle wakes the
 * claim of a Node event that way).
 */
class ProviderIdsMockTest {
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
  void aNodeWhoseProviderIdIsSetLaterIsFoundByItThroughItsDelete() throws Exception {
    NodeClaim claim = client.resource(Harness.nodeClaim("claim-a", null)).create();
    claim.setStatus(new NodeClaimStatus());
    claim.getStatus().setProviderID("sim:///i-1");
    client.resource(claim).updateStatus();
    List<String> heard = new CopyOnWriteArrayList<>();
    state.addListener(
        obj -> {
          if (obj instanceof Node n && ProviderIds.providerId(n) != null) {
            // at the time it is told, a listener finds both sides by the node's provider ID
            heard.add(
                state.nodeByProviderId(n.getSpec().getProviderID()).isPresent()
                    + "/"
                    + state.nodeClaimNameByProviderId(n.getSpec().getProviderID()).orElse(""));
          }
        });
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.nodeClaimNameByProviderId("sim:///i-1").isPresent(),
        () -> "the claim's provider ID is known");

    client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("node-a")
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build())
        .create();
    Eventually.await(
        Duration.ofSeconds(10), () -> state.node("node-a").isPresent(), () -> "node cached");
    assertThat(state.nodeByProviderId("sim:///i-1")).isEmpty();

    client
        .nodes()
        .withName("node-a")
        .edit(
            n -> {
              n.getSpec().setProviderID("sim:///i-1");
              return n;
            });
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.nodeByProviderId("sim:///i-1").isPresent(),
        () -> "the node is found by the provider ID it was given");
    assertThat(state.nodeByProviderId("sim:///i-1").orElseThrow().getMetadata().getName())
        .isEqualTo("node-a");
    assertThat(state.nodeClaimNameByProviderId("sim:///i-1")).contains("claim-a");
    Eventually.await(
        Duration.ofSeconds(10), () -> !heard.isEmpty(), () -> "the listener heard of it");
    assertThat(heard).first().isEqualTo("true/claim-a");

    client.nodes().withName("node-a").delete();
    Eventually.await(
        Duration.ofSeconds(10), () -> state.node("node-a").isEmpty(), () -> "node gone");
    assertThat(state.nodeByProviderId("sim:///i-1")).isEmpty();
    assertThat(state.nodeClaimNameByProviderId("sim:///i-1")).contains("claim-a");

    client.resources(NodeClaim.class).withName("claim-a").delete();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.nodeClaimNameByProviderId("sim:///i-1").isEmpty(),
        () -> "the claim's provider ID is dropped with it");
  }
}
