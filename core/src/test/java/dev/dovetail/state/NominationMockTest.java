package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A nomination outlives a slow scheduler while the pod still fits where it was nominated, and
 * lapses once the node was filled by other pods (then the pod is provisioned for again).
 */
class NominationMockTest {
  private final EmbeddedApiServer api = EmbeddedApiServer.start();
  private final KubernetesClient client = api.client();
  private final MutableClock clock = MutableClock.startingNow();
  private final ClusterState state;

  NominationMockTest() {
    client.resource(node("node-a", "4")).create();
    state = new ClusterState(client, clock).start();
  }

  @AfterEach
  void stop() {
    state.close();
    client.close();
    api.close();
  }

  @Test
  void aPodThatStillFitsKeepsItsNominationLongAfterTheNodeIsReady() throws Exception {
    Pod pending = client.resource(pod("waiting", "1", null)).create();
    Eventually.await(
        Duration.ofSeconds(10), () -> state.pods().size() == 1, () -> "the informers caught up");
    assertThat(state.provisionablePods()).hasSize(1);
    state.nominate(pending, "node-a", Duration.ofMinutes(15));

    // A scheduler that takes minutes to get to the pod (a loaded machine, a huge backlog): the pod
    // is not provisioned for twice while its node still has room for it.
    clock.advance(Duration.ofMinutes(5));

    assertThat(state.nomination(pending)).isPresent();
    assertThat(state.provisionablePods()).isEmpty();
  }

  @Test
  void aPodWhoseNodeWasFilledByOthersLosesItsNomination() throws Exception {
    Pod pending = client.resource(pod("waiting", "1", null)).create();
    client.resource(pod("taken-1", "2", "node-a")).create();
    client.resource(pod("taken-2", "1.5", "node-a")).create();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.podsOn("node-a").size() == 2,
        () -> "the informers caught up");
    state.nominate(pending, "node-a", Duration.ofMinutes(15));

    clock.advance(Duration.ofSeconds(30));

    assertThat(state.nomination(pending)).isEmpty();
  }

  @Test
  void aNominationWaitsForPodsLeavingTheNodeToBeSeen() throws Exception {
    Pod pending = client.resource(pod("waiting", "1", null)).create();
    client.resource(pod("taken", "3.5", "node-a")).create();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.podsOn("node-a").size() == 1,
        () -> "the informers caught up");
    state.nominate(pending, "node-a", Duration.ofMinutes(15));
    clock.advance(Duration.ofSeconds(30));
    assertThat(state.nomination(pending)).isEmpty(); // the cached sum says full

    client.pods().inNamespace("default").withName("taken").delete();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.podsOn("node-a").isEmpty(),
        () -> "the informers caught up");
    state.nominate(pending, "node-a", Duration.ofMinutes(15));
    clock.advance(Duration.ofSeconds(30));

    // The node's cached usage was dropped with the pod's delete event: it has room again.
    assertThat(state.nomination(pending)).isPresent();
  }

  private static Node node(String name, String cpu) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity("16Gi")))
        .endStatus()
        .build();
  }

  private static Pod pod(String name, String cpu, String nodeName) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withNodeName(nodeName)
        .addNewContainer()
        .withName("app")
        .withImage("app")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity(cpu)))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("PodScheduled")
        .withStatus(nodeName == null ? "False" : "True")
        .withReason(nodeName == null ? "Unschedulable" : null)
        .endCondition()
        .endStatus()
        .build();
  }
}
