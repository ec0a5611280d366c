package dev.dovetail.controllers.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.controllers.ControllerContext;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.EmbeddedApiServer;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.kube.KubeNodeRegistrar;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.TestPods;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pod whose nominated room the scheduler gave to another pod: two 4-CPU nodes each run a 1-CPU
 * pod; {@code small} (1 CPU) is nominated to node-a, {@code big} (3 CPU) to node-b, and a 2-CPU pod
 * the scheduler bound to node-b takes big's room. Alone, big fits nowhere (node-a keeps 1 CPU of
 * its 3 for small, node-b has 1 left) and would buy a NodeClaim; solved together with small, both
 * fit: big on node-a, small on node-b. Passes are run directly; the clock moves only when a test
 * says.
 */
class DisplacedPodsMockTest {
  private final EmbeddedApiServer api = EmbeddedApiServer.start();
  private final KubernetesClient client = api.client();
  private final MutableClock clock = MutableClock.startingNow();
  private final SimulatedCloud sim = new SimulatedCloud();
  private ClusterState state;
  private Provisioner provisioner;

  @BeforeEach
  void start() throws Exception {
    sim.start(
        new ProviderContext(
            "test",
            Map.of("catalog", "aws"),
            clock,
            new KubeNodeRegistrar(client),
            InterruptionListener.IGNORE));
    Harness.createNodeClass(client);
    Harness.markNodeClassReady(client, "default");
    client.resource(Harness.nodePool("default", List.of())).create();
    client.resource(node("node-a")).create();
    client.resource(node("node-b")).create();
    client.resource(TestPods.pod("running-a", "1", "node-a", false)).create();
    client.resource(TestPods.pod("running-b", "1", "node-b", false)).create();
    state = new ClusterState(client, clock).start();
    provisioner =
        new Provisioner(
            new ControllerContext(
                client,
                state,
                new CloudProviderFacade(
                    sim, client, new UnavailableOfferings(clock, Duration.ofMinutes(3))),
                new EventRecorder(client, clock, Duration.ofMinutes(5)),
                clock),
            new Provisioner.Options(
                Duration.ofMillis(100), Duration.ofSeconds(1), 1000, Duration.ofMinutes(15)),
            Provisioner.ProvisioningListener.NONE);
  }

  @AfterEach
  void stop() {
    provisioner.close();
    state.close();
    client.close();
    api.close();
  }

  @Test
  void aDisplacedPodIsSolvedWithTheNominatedOnesAndBuysNothingWhenTheyFitTogether()
      throws Exception {
    Pod small = pending("small", "1");
    Pod big = pending("big", "3");
    state.nominate(small, "node-a", Duration.ofMinutes(15));
    state.nominate(big, "node-b", Duration.ofMinutes(15));
    client.resource(TestPods.pod("thief", "2", "node-b", false)).create();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.podsOn("node-b").size() == 2,
        () -> "the informers caught up");
    clock.advance(Duration.ofSeconds(6)); // past the grace for targets not cached yet

    assertThat(state.provisionablePods())
        .extracting(ClusterState::podKey)
        .containsExactly(key(big));
    assertThat(state.isDisplaced(big)).isTrue();

    provisioner.provision();

    assertThat(client.resources(NodeClaim.class).list().getItems()).isEmpty();
    assertThat(state.nomination(big).orElseThrow().target()).isEqualTo("node-a");
    assertThat(state.nomination(small).orElseThrow().target()).isEqualTo("node-b");
    assertThat(state.isDisplaced(big)).isFalse();
    assertThat(state.provisionablePods()).isEmpty();
  }

  @Test
  void aNewPodDoesNotMoveTheNominatedOnes() throws Exception {
    Pod small = pending("small", "1");
    state.nominate(small, "node-a", Duration.ofMinutes(15));
    client.resource(TestPods.pod("thief", "2", "node-b", false)).create();
    Pod big = pending("big", "3");
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.podsOn("node-b").size() == 2,
        () -> "the informers caught up");

    provisioner.provision();

    // Nothing was displaced: small keeps its room, and big gets a NodeClaim of its own.
    assertThat(client.resources(NodeClaim.class).list().getItems()).hasSize(1);
    assertThat(state.nomination(small).orElseThrow().target()).isEqualTo("node-a");
    assertThat(state.nomination(big).orElseThrow().target()).startsWith("default-");
  }

  private Pod pending(String name, String cpu) throws Exception {
    Pod pod = client.resource(TestPods.pod(name, cpu, null, true)).create();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.pods().stream().anyMatch(p -> p.getMetadata().getName().equals(name)),
        () -> name + " cached");
    return pod;
  }

  private static String key(Pod pod) {
    return ClusterState.podKey(pod);
  }

  private static Node node(String name) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withAllocatable(
            Map.of(
                "cpu",
                new Quantity("4"),
                "memory",
                new Quantity("16Gi"),
                "pods",
                new Quantity("110")))
        .endStatus()
        .build();
  }
}
