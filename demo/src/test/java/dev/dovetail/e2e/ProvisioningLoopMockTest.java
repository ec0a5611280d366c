package dev.dovetail.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.demo.Binder;
import dev.dovetail.kube.Conditions;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.plugins.simulated.KWOKNodeClass;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole loop at small scale on the embedded API server: pending pods → solve → NodeClaims →
 * simulated launch → Node registers → NodeClaim Initialized → the stand-in scheduler binds every
 * pod.
 */
class ProvisioningLoopMockTest {
  private EndToEndCluster cluster;
  private KubernetesClient client;
  private DovetailOperator dovetail;
  private Binder binder;

  @BeforeEach
  void start() {
    KubeApiServer api = KubeApiServer.start();
    api.registerCustomResource(
        KWOKNodeClass.GROUP,
        KWOKNodeClass.VERSION,
        "KWOKNodeClass",
        io.fabric8.kubernetes.api.model.HasMetadata.getPlural(KWOKNodeClass.class),
        false);
    cluster =
        EndToEndCluster.start(
            api,
            new SimulatedCloud(),
            Clock.systemUTC(),
            EndToEndCluster.settings("test"),
            Map.of("catalog", "aws", "launchLatency", "50ms", "startupTaintDelay", "50ms"));
    client = cluster.client();
    dovetail = cluster.operator();
    binder = cluster.binder();
    KWOKNodeClass nodeClass = new KWOKNodeClass();
    nodeClass.setMetadata(new ObjectMetaBuilder().withName("default").build());
    client.resource(nodeClass).create();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void everyPodIsBoundAndEveryNodeClaimInitialized() throws Exception {
    client
        .resource(
            nodePool("default", List.of(req("karpenter.sh/capacity-type", "In", "on-demand"))))
        .create();
    for (int i = 0; i < 24; i++) {
      String cpu = i % 3 == 0 ? "1" : "250m";
      Map<String, String> selector = i % 4 == 0 ? Map.of("kubernetes.io/arch", "arm64") : Map.of();
      client.resource(pod("p" + i, cpu, "512Mi", selector)).create();
    }

    Eventually.await(
        Duration.ofSeconds(60),
        () ->
            client.pods().inNamespace("default").list().getItems().stream()
                .allMatch(p -> p.getSpec().getNodeName() != null),
        () ->
            "unbound pods: "
                + client.pods().inNamespace("default").list().getItems().stream()
                    .filter(p -> p.getSpec().getNodeName() == null)
                    .map(p -> p.getMetadata().getName())
                    .toList()
                + ", reasons "
                + dovetail.provisioner().unschedulableReasons()
                + "\n"
                + dump());
    Eventually.await(
        Duration.ofSeconds(30),
        () ->
            client.resources(NodeClaim.class).list().getItems().stream()
                .allMatch(
                    c ->
                        Conditions.isTrue(
                            c.getStatus().getConditions(), Karpenter.Conditions.INITIALIZED)),
        () ->
            "NodeClaims not initialized: "
                + client.resources(NodeClaim.class).list().getItems().stream()
                    .map(c -> c.getMetadata().getName() + "=" + c.getStatus().getConditions())
                    .toList());

    List<NodeClaim> claims = client.resources(NodeClaim.class).list().getItems();
    Map<String, Node> nodes =
        client.nodes().list().getItems().stream()
            .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n));
    assertThat(claims).isNotEmpty();
    assertThat(nodes).hasSize(claims.size());
    for (NodeClaim claim : claims) {
      assertThat(claim.getStatus().getProviderID()).startsWith("simulated://");
      assertThat(claim.getMetadata().getLabels())
          .containsEntry(WellKnownLabels.NODE_POOL, "default");
      assertThat(claim.getMetadata().getFinalizers()).contains(Karpenter.TERMINATION_FINALIZER);
      Node node = nodes.get(claim.getStatus().getNodeName());
      assertThat(node).as("node of %s", claim.getMetadata().getName()).isNotNull();
      assertThat(node.getMetadata().getLabels())
          .containsEntry(WellKnownLabels.NODE_POOL, "default")
          .containsEntry(WellKnownLabels.INITIALIZED, "true")
          .containsEntry(WellKnownLabels.CAPACITY_TYPE, "on-demand");
      assertThat(node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints())
          .noneMatch(t -> t.getKey().equals(Karpenter.UNREGISTERED_TAINT_KEY));
    }
    for (Pod p : client.pods().inNamespace("default").list().getItems()) {
      Node node = nodes.get(p.getSpec().getNodeName());
      if (p.getSpec().getNodeSelector() != null) {
        p.getSpec()
            .getNodeSelector()
            .forEach((k, v) -> assertThat(node.getMetadata().getLabels()).containsEntry(k, v));
      }
    }
  }

  @Test
  void aPodNoInstanceTypeCanHoldIsExplainedAndNothingIsLaunched() throws Exception {
    client.resource(nodePool("default", List.of())).create();
    client.resource(pod("huge", "4000", "1Gi", Map.of())).create();
    Eventually.await(
        Duration.ofSeconds(30),
        () -> dovetail.provisioner().unschedulableReasons().containsKey("default/huge"),
        () -> "no reason recorded: " + dovetail.provisioner().unschedulableReasons());
    assertThat(dovetail.provisioner().unschedulableReasons().get("default/huge")).contains("cpu");
    assertThat(client.resources(NodeClaim.class).list().getItems()).isEmpty();
  }

  private String dump() {
    StringBuilder sb = new StringBuilder();
    for (Node n : client.nodes().list().getItems()) {
      sb.append("node ")
          .append(n.getMetadata().getName())
          .append(" taints=")
          .append(n.getSpec().getTaints())
          .append(" labels=")
          .append(n.getMetadata().getLabels())
          .append(" alloc=")
          .append(n.getStatus().getAllocatable())
          .append('\n');
    }
    for (NodeClaim c : client.resources(NodeClaim.class).list().getItems()) {
      sb.append("claim ")
          .append(c.getMetadata().getName())
          .append(' ')
          .append(c.getStatus().getConditions())
          .append('\n');
    }
    for (Pod p : client.pods().inNamespace("default").list().getItems()) {
      sb.append("pod ")
          .append(p.getMetadata().getName())
          .append(" node=")
          .append(p.getSpec().getNodeName())
          .append(" sel=")
          .append(p.getSpec().getNodeSelector())
          .append(" status=")
          .append(p.getStatus() == null ? null : p.getStatus().getConditions())
          .append('\n');
    }
    return sb.toString();
  }

  static NodeSelectorRequirementWithMinValues req(String key, String op, String... values) {
    return new NodeSelectorRequirementWithMinValues(key, op, List.of(values), null);
  }

  static NodePool nodePool(String name, List<NodeSelectorRequirementWithMinValues> requirements) {
    NodePool pool = new NodePool();
    pool.setMetadata(new ObjectMetaBuilder().withName(name).build());
    pool.getSpec().getTemplate().getSpec().setRequirements(requirements);
    pool.getSpec()
        .getTemplate()
        .getSpec()
        .setNodeClassRef(
            new NodeClassReference(KWOKNodeClass.GROUP, KWOKNodeClass.KIND, "default"));
    return pool;
  }

  static Pod pod(String name, String cpu, String memory, Map<String, String> nodeSelector) {
    Map<String, Quantity> requests = new HashMap<>();
    requests.put("cpu", new Quantity(cpu));
    requests.put("memory", new Quantity(memory));
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
        .addNewContainer()
        .withName("c")
        .withImage("pause")
        .withNewResources()
        .withRequests(requests)
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
