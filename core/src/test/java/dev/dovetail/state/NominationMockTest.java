package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
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
    // The provisionable index is kept by the pod informer's handler, which runs after the
    // informer's
    // store holds the pod: waiting for the store alone raced it (seen once in CI).
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.pods().size() == 1 && state.provisionablePods().size() == 1,
        () -> "the informers caught up");
    state.nominate(pending, "node-a", Duration.ofMinutes(15));

    // A scheduler that takes minutes to get to the pod (a loaded machine, a huge backlog): the pod
    // is not provisioned for twice while its node still has room for it.
    clock.advance(Duration.ofMinutes(2));

    assertThat(state.nomination(pending)).isPresent();
    assertThat(state.provisionablePods()).isEmpty();

    // Not for ever: a pod the scheduler keeps off the node for a reason other than resources is
    // solved again.
    clock.advance(Duration.ofMinutes(2));
    assertThat(state.nomination(pending)).isEmpty();
    assertThat(state.provisionablePods()).hasSize(1);
  }

  @Test
  void aPodWhoseNodeWasFilledByOthersLosesItsNomination() throws Exception {
    Pod pending = nominatedToAFilledNode();

    clock.advance(Duration.ofSeconds(30));

    assertThat(state.nomination(pending)).isEmpty();
  }

  @Test
  void aPodWhoseReadyNodeWasFilledByOthersLosesItsNominationWithoutWaitingOutTheBindGrace()
      throws Exception {
    Pod pending = nominatedToAFilledNode();

    clock.advance(Duration.ofSeconds(6)); // past the grace for targets not cached yet, only

    assertThat(state.nomination(pending)).isEmpty();
    assertThat(state.provisionablePods())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("waiting");
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
    // The node's cached usage is dropped by the pod's delete event, which the informer's handler
    // sees just after its store drops the pod (waiting for podsOn to be empty raced it in CI):
    // a nomination made once the event is handled holds, the node has room again.
    Eventually.await(
        Duration.ofSeconds(10),
        () -> {
          state.nominate(pending, "node-a", Duration.ofMinutes(15));
          clock.advance(Duration.ofSeconds(30));
          return state.nomination(pending).isPresent();
        },
        () -> "the nomination holds once the delete is seen");
    assertThat(state.podsOn("node-a")).isEmpty();
  }

  @Test
  void aNominationToANodeThatWentIsVoidAtOnceNotAfterTheGrace() throws Exception {
    client.resource(node("node-b", "4")).create();
    Pod pending = client.resource(pod("waiting", "1", null)).create();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.node("node-b").isPresent() && state.provisionablePods().size() == 1,
        () -> "the informers caught up");
    // A nomination made before the delete is dropped by the node's delete event, which the
    // informer's handler sees just after its store drops the node: waiting for the store alone
    // raced the handler (seen once in CI), so wait for the earlier nomination to go.
    state.nominate(pending, "node-b", Duration.ofMinutes(15));
    assertThat(state.nomination(pending)).isPresent();
    client.nodes().withName("node-b").delete();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.node("node-b").isEmpty() && state.nomination(pending).isEmpty(),
        () -> "node-b gone");

    // A solve that read the cache just before the delete nominates the pod there; the clock has
    // not moved, so the grace for targets not in the cache yet has not passed.
    state.nominate(pending, "node-b", Duration.ofMinutes(15));

    assertThat(state.nomination(pending)).isEmpty();
    assertThat(state.provisionablePods()).hasSize(1);
  }

  /** A pending 1-CPU pod nominated to node-a (4 CPU) after 3.5 CPU of other pods bound there. */
  private Pod nominatedToAFilledNode() throws Exception {
    Pod pending = client.resource(pod("waiting", "1", null)).create();
    client.resource(pod("taken-1", "2", "node-a")).create();
    client.resource(pod("taken-2", "1.5", "node-a")).create();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.podsOn("node-a").size() == 2,
        () -> "the informers caught up");
    state.nominate(pending, "node-a", Duration.ofMinutes(15));
    return pending;
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
    return TestPods.pod(name, cpu, nodeName, nodeName == null);
  }
}
