package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stand-in scheduler's decisions on constructed clusters, without an API server. */
class SchedulingCycleTest {
  private final SchedulingCycle cycle = new SchedulingCycle();
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, List<Pod>> bound = new HashMap<>();
  private final Map<String, String> nominations = new HashMap<>();

  private SchedulingCycle.Decision decide(Pod... pending) {
    return cycle.decide(
        nodes,
        n -> bound.getOrDefault(n, List.of()),
        List.of(pending),
        p -> nominations.get(p.getMetadata().getName()));
  }

  @Test
  void theNominatedNodeWinsOverAFullerOne() {
    node("full", "zone-a", 4);
    node("empty", "zone-a", 4);
    bindTo("full", pod("running", "2"));
    Pod nominated = pod("nominated", "1");
    nominations.put("nominated", "empty");

    var d = decide(nominated, pod("other", "1"));

    assertThat(d.bindings())
        .containsEntry("default/nominated", "empty")
        .containsEntry("default/other", "full");
  }

  @Test
  void podsNominatedToANodeFillItBeforeAnyOtherPodMayUseIt() {
    node("full", "zone-a", 1);
    bindTo("full", pod("running", "1"));
    node("launched", "zone-a", 2);
    nominations.put("n1", "launched");
    nominations.put("n2", "launched");

    // Placed largest first, the 1.5-cpu pod would take the new node and leave both nominees out.
    var d = decide(pod("big", "1500m"), pod("n1", "1"), pod("n2", "1"));

    assertThat(d.bindings())
        .containsEntry("default/n1", "launched")
        .containsEntry("default/n2", "launched")
        .doesNotContainKey("default/big");
    assertThat(d.unschedulable()).containsKey("default/big");
  }

  @Test
  void aNominatedPodThatNoLongerFitsThereGoesElsewhere() {
    node("nominated", "zone-a", 1);
    bindTo("nominated", pod("running", "1"));
    node("roomy", "zone-a", 4);
    nominations.put("p", "nominated");

    assertThat(decide(pod("p", "1")).bindings()).containsEntry("default/p", "roomy");
  }

  @Test
  void mostAllocatedPicksTheFullerNode() {
    node("emptier", "zone-a", 8);
    node("fuller", "zone-a", 8);
    bindTo("emptier", pod("a", "1"));
    bindTo("fuller", pod("b", "5"));

    assertThat(decide(pod("p", "1")).bindings()).containsEntry("default/p", "fuller");
  }

  @Test
  void requiredAntiAffinityKeepsThePodOffTheNodeOfAMatchingPod() {
    node("fuller", "zone-a", 8);
    node("other", "zone-a", 8);
    bindTo("fuller", labelled(pod("db-0", "4"), "db"));
    Pod p =
        new PodBuilder(labelled(pod("db-1", "1"), "db"))
            .editSpec()
            .withNewAffinity()
            .withNewPodAntiAffinity()
            .withRequiredDuringSchedulingIgnoredDuringExecution(
                new PodAffinityTermBuilder()
                    .withTopologyKey("kubernetes.io/hostname")
                    .withLabelSelector(
                        new LabelSelectorBuilder().withMatchLabels(Map.of("app", "db")).build())
                    .build())
            .endPodAntiAffinity()
            .endAffinity()
            .endSpec()
            .build();

    assertThat(decide(p).bindings()).containsEntry("default/db-1", "other");
  }

  @Test
  void topologySpreadIsRespected() {
    node("a", "zone-a", 8);
    node("b", "zone-b", 8);
    bindTo("a", labelled(pod("web-0", "1"), "web"));
    bindTo("a", labelled(pod("web-1", "1"), "web"));
    bindTo("a", pod("filler", "4"));
    Pod p =
        new PodBuilder(labelled(pod("web-2", "1"), "web"))
            .editSpec()
            .withTopologySpreadConstraints(
                new TopologySpreadConstraintBuilder()
                    .withMaxSkew(1)
                    .withTopologyKey("topology.kubernetes.io/zone")
                    .withWhenUnsatisfiable("DoNotSchedule")
                    .withLabelSelector(
                        new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build())
                    .build())
            .endSpec()
            .build();

    assertThat(decide(p).bindings()).containsEntry("default/web-2", "b");
  }

  @Test
  void aHostPortInUseKeepsThePodOffThatNode() {
    node("fuller", "zone-a", 8);
    node("other", "zone-a", 8);
    bindTo("fuller", withHostPort(pod("proxy-0", "4"), 8080));

    assertThat(decide(withHostPort(pod("proxy-1", "1"), 8080)).bindings())
        .containsEntry("default/proxy-1", "other");
  }

  @Test
  void untoleratedTaintsCordonedAndNotReadyNodesTakeNoPods() {
    node("tainted", "zone-a", 8);
    nodes.set(
        0,
        new NodeBuilder(nodes.get(0))
            .editSpec()
            .withTaints(
                new TaintBuilder()
                    .withKey("dedicated")
                    .withValue("gpu")
                    .withEffect("NoSchedule")
                    .build())
            .endSpec()
            .build());
    node("cordoned", "zone-a", 8);
    nodes.set(
        1, new NodeBuilder(nodes.get(1)).editSpec().withUnschedulable(true).endSpec().build());
    node("starting", "zone-a", 8);
    nodes.set(
        2,
        new NodeBuilder(nodes.get(2))
            .editStatus()
            .editFirstCondition()
            .withStatus("False")
            .endCondition()
            .endStatus()
            .build());

    var d = decide(pod("p", "1"));

    assertThat(d.bindings()).isEmpty();
    assertThat(d.unschedulable().get("default/p")).startsWith("0/2 nodes are available");
  }

  @Test
  void aNodeSelectorIsHonoured() {
    node("fuller", "zone-a", 8);
    node("b", "zone-b", 8);
    bindTo("fuller", pod("x", "4"));
    Pod p =
        new PodBuilder(pod("p", "1"))
            .editSpec()
            .withNodeSelector(Map.of("topology.kubernetes.io/zone", "zone-b"))
            .endSpec()
            .build();

    assertThat(decide(p).bindings()).containsEntry("default/p", "b");
  }

  @Test
  void podsThatFitNowhereAreUnschedulableWithAReason() {
    node("small", "zone-a", 1);

    var d = decide(pod("huge", "4"));

    assertThat(d.bindings()).isEmpty();
    assertThat(d.unschedulable().get("default/huge")).startsWith("0/1 nodes are available: ");
  }

  private void node(String name, String zone, int cpus) {
    nodes.add(
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels("kubernetes.io/hostname", name)
            .addToLabels("topology.kubernetes.io/zone", zone)
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .withAllocatable(
                Map.of(
                    "cpu",
                    new Quantity(Integer.toString(cpus)),
                    "memory",
                    new Quantity("64Gi"),
                    "pods",
                    new Quantity("110")))
            .endStatus()
            .build());
  }

  private void bindTo(String node, Pod p) {
    p.getSpec().setNodeName(node);
    bound.computeIfAbsent(node, k -> new ArrayList<>()).add(p);
  }

  static Pod pod(String name, String cpu) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity("128Mi")))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  private static Pod labelled(Pod p, String app) {
    return new PodBuilder(p).editMetadata().addToLabels("app", app).endMetadata().build();
  }

  private static Pod withHostPort(Pod p, int port) {
    return new PodBuilder(p)
        .editSpec()
        .editFirstContainer()
        .withPorts(
            new ContainerPortBuilder()
                .withContainerPort(port)
                .withHostPort(port)
                .withProtocol("TCP")
                .build())
        .endContainer()
        .endSpec()
        .build();
  }
}
