package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in scheduler's binding path on the embedded API server: a pod's {@code
 * status.nominatedNodeName} is honoured over the fuller node, other pods bin-pack onto the fuller
 * node, a pod that fits nowhere is marked Unschedulable with the reason and tried again only once a
 * node that could take it is added, and a pod still being bound counts on its node.
 */
class BinderMockTest {
  private KubeApiServer api;
  private KubernetesClient client;
  private ClusterState state;
  private Binder binder;

  @BeforeEach
  void start() {
    api = KubeApiServer.start();
    client = api.client();
    state = new ClusterState(client, Clock.systemUTC()).start();
    binder = new Binder(client, state, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    binder.close();
    state.close();
    client.close();
    api.close();
  }

  @Test
  void bindsNominatedPodsToTheirNodeAndTheRestToTheFullerNode() throws Exception {
    readyNode("fuller");
    readyNode("emptier");
    Pod running = SchedulingCycleTest.pod("running", "2");
    running.getSpec().setNodeName("fuller");
    client.resource(running).create();
    client.resource(SchedulingCycleTest.pod("plain", "1")).create();
    client.resource(SchedulingCycleTest.pod("nominated", "1")).create();
    client
        .pods()
        .inNamespace("default")
        .withName("nominated")
        .editStatus(
            p ->
                new PodBuilder(p)
                    .editOrNewStatus()
                    .withNominatedNodeName("emptier")
                    .endStatus()
                    .build());
    client.resource(SchedulingCycleTest.pod("too-big", "16")).create();
    Eventually.await(
        Duration.ofSeconds(30),
        () ->
            state.pods().size() == 4
                && readyInCache() == 2
                && "emptier".equals(nominatedInCache("nominated")),
        () -> "the informers see the pods and nodes");

    binder.round();

    Eventually.await(
        Duration.ofSeconds(30),
        () -> PodUtils.isBound(get("plain")) && PodUtils.isUnschedulable(get("too-big")),
        () -> "plain bound and too-big marked: " + state.pods());
    assertThat(get("nominated").getSpec().getNodeName()).isEqualTo("emptier");
    assertThat(get("plain").getSpec().getNodeName()).isEqualTo("fuller");
    assertThat(get("plain").getStatus().getPhase()).isEqualTo("Running");
    assertThat(get("too-big").getSpec().getNodeName()).isNull();
    assertThat(get("too-big").getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getMessage()).startsWith("0/2 nodes are available"));
  }

  @Test
  void aPodMarkedUnschedulableThenBoundCarriesOnePodScheduledConditionAndKeepsTheOthers()
      throws Exception {
    // The status is written by one strategic merge patch per pod (no read first): conditions
    // merge by type, so the binding's PodScheduled replaces the mark and other conditions stay.
    client.resource(SchedulingCycleTest.pod("waits", "2")).create();
    client
        .pods()
        .inNamespace("default")
        .withName("waits")
        .editStatus(
            p ->
                new PodBuilder(p)
                    .editOrNewStatus()
                    .addNewCondition()
                    .withType("example.com/Gate")
                    .withStatus("True")
                    .endCondition()
                    .endStatus()
                    .build());
    Eventually.await(
        Duration.ofSeconds(30), () -> state.pods().size() == 1, () -> "the informer sees it");
    binder.round();
    Eventually.await(
        Duration.ofSeconds(30),
        () -> PodUtils.isUnschedulable(get("waits")),
        () -> "waits marked: " + get("waits").getStatus());
    assertThat(get("waits").getStatus().getPhase()).isEqualTo("Pending");

    readyNode("roomy");
    Eventually.await(
        Duration.ofSeconds(30),
        () -> readyInCache() == 1 && PodUtils.isUnschedulable(cached("waits")),
        () -> "the informers see the node and the mark");
    binder.round();

    Pod bound = get("waits");
    assertThat(bound.getSpec().getNodeName()).isEqualTo("roomy");
    assertThat(bound.getStatus().getPhase()).isEqualTo("Running");
    assertThat(bound.getStatus().getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactlyInAnyOrder("example.com/Gate=True", "PodScheduled=True");
  }

  @Test
  void aPodThatFitsNowhereIsTriedAgainOnlyOnceANodeThatCouldTakeItIsAdded() throws Exception {
    readyNode("small");
    client.resource(SchedulingCycleTest.pod("big", "8")).create();
    Eventually.await(
        Duration.ofSeconds(30),
        () -> state.pods().size() == 1 && readyInCache() == 1,
        () -> "the informers see the pod and the node");
    binder.round();
    Eventually.await(
        Duration.ofSeconds(30),
        () -> PodUtils.isUnschedulable(cached("big")),
        () -> "the cache sees the mark");

    binder.round(); // only the pod's status changed (the mark): nothing could make it fit
    assertThat(binder.triedInLastRound()).isZero();

    readyNode("large", "16");
    Eventually.await(
        Duration.ofSeconds(30), () -> readyInCache() == 2, () -> "the informers see the node");
    binder.round();

    assertThat(binder.triedInLastRound()).isEqualTo(1);
    assertThat(get("big").getSpec().getNodeName()).isEqualTo("large");
  }

  @Test
  void aRoundDecidedWhileThePreviousRoundsBindingIsWrittenCountsThatPodOnItsNode()
      throws Exception {
    readyNode("only");
    client.resource(SchedulingCycleTest.pod("first", "3")).create();
    Eventually.await(
        Duration.ofSeconds(30),
        () -> state.pods().size() == 1 && readyInCache() == 1,
        () -> "the informers see the pod and the node");
    binder.round(false); // does not wait for the binding: the cache may not show it next round

    client.resource(SchedulingCycleTest.pod("second", "3")).create();
    Eventually.await(
        Duration.ofSeconds(30), () -> state.pods().size() == 2, () -> "the informer sees it");
    binder.round();

    Eventually.await(
        Duration.ofSeconds(30),
        () -> PodUtils.isBound(get("first")) && PodUtils.isUnschedulable(get("second")),
        () -> "first bound, second marked: " + state.pods());
    assertThat(get("second").getSpec().getNodeName()).isNull();
  }

  @Test
  void aWaitingPodMovedByANewNodeDoesNotTakeTheRoomOfThePodNominatedToIt() throws Exception {
    // kube-scheduler's addNominatedPods: the node was bought for "owner"; "waiter", waiting since
    // before, is moved by the node's arrival and decided first, and must not take owner's room.
    client.resource(SchedulingCycleTest.pod("waiter", "3")).create();
    Eventually.await(
        Duration.ofSeconds(30), () -> state.pods().size() == 1, () -> "the informer sees it");
    binder.round();
    Eventually.await(
        Duration.ofSeconds(30),
        () -> PodUtils.isUnschedulable(cached("waiter")),
        () -> "the cache sees the mark");

    client.resource(SchedulingCycleTest.pod("owner", "3")).create();
    client
        .pods()
        .inNamespace("default")
        .withName("owner")
        .editStatus(
            p ->
                new PodBuilder(p)
                    .editOrNewStatus()
                    .withNominatedNodeName("bought")
                    .endStatus()
                    .build());
    readyNode("bought");
    Eventually.await(
        Duration.ofSeconds(30),
        () -> readyInCache() == 1 && "bought".equals(nominatedInCache("owner")),
        () -> "the informers see the node and the nomination");
    binder.round();

    Eventually.await(
        Duration.ofSeconds(30),
        () -> PodUtils.isBound(get("owner")),
        () -> "owner bound: " + state.pods());
    assertThat(get("owner").getSpec().getNodeName()).isEqualTo("bought");
    assertThat(get("waiter").getSpec().getNodeName()).isNull();
  }

  private Pod cached(String name) {
    return state.pods().stream()
        .filter(p -> p.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Nodes the cache holds as Ready: a node is created and then given its status, so the cache can
   * hold it not Ready for a moment, and a round then would not use it.
   */
  private long readyInCache() {
    return state.nodes().stream().filter(dev.dovetail.state.NodeUtils::isReady).count();
  }

  private String nominatedInCache(String name) {
    return state.pods().stream()
        .filter(p -> p.getMetadata().getName().equals(name))
        .map(p -> p.getStatus() == null ? null : p.getStatus().getNominatedNodeName())
        .findFirst()
        .orElse(null);
  }

  private Pod get(String name) {
    return client.pods().inNamespace("default").withName(name).get();
  }

  private void readyNode(String name) {
    readyNode(name, "4");
  }

  private void readyNode(String name, String cpu) {
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels("kubernetes.io/hostname", name)
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .build();
    client.resource(node).create();
    client
        .nodes()
        .withName(name)
        .editStatus(
            n ->
                new NodeBuilder(n)
                    .withNewStatus()
                    .addNewCondition()
                    .withType("Ready")
                    .withStatus("True")
                    .endCondition()
                    .withAllocatable(
                        Map.of(
                            "cpu", new Quantity(cpu),
                            "memory", new Quantity("16Gi"),
                            "pods", new Quantity("110")))
                    .endStatus()
                    .build());
  }
}
