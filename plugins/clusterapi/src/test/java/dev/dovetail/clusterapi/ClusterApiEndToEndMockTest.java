package dev.dovetail.clusterapi;

import static dev.dovetail.cloudprovider.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cloudprovider.testkit.KubeletNodes;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.cloudprovider.testkit.ReplicaSetPods;
import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.capi.Machines;
import dev.dovetail.clusterapi.v1alpha1.ClusterAPINodeClass;
import dev.dovetail.demo.Binder;
import dev.dovetail.demo.ClockedConsolidation;
import dev.dovetail.demo.Rescheduler;
import dev.dovetail.e2e.EndToEndCluster;
import dev.dovetail.kube.Conditions;
import dev.dovetail.operator.DovetailOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dovetail's real controllers on the embedded API server (the workload cluster) with the Cluster
 * API bridge talking to a separate management cluster (fabric8's mock server holding CAPI objects,
 * played by {@link FakeCapiController}); a test kubelet registers a Ready Node for every Machine
 * that gets a providerID. Pending pods → Machines → Nodes → pods bound → scale-down → consolidation
 * deletes Machines and lowers replicas.
 */
class ClusterApiEndToEndMockTest {
  private final MutableClock clock = new MutableClock(Instant.now());
  private EndToEndCluster cluster;
  private KubernetesClient workload;
  private CapiMockCluster management;
  private FakeCapiController capi;
  private DovetailOperator dovetail;
  private Binder binder;
  private Rescheduler rescheduler;

  @BeforeEach
  void start() {
    management = new CapiMockCluster();
    // two node groups: 2 vCPU at $0.10/h, 8 vCPU at $0.50/h
    management.machineDeployment(
        "small",
        0,
        Map.of(
            Capi.CPU_ANNOTATION,
            "2",
            Capi.MEMORY_ANNOTATION,
            "8Gi",
            Capi.PRICE_ANNOTATION,
            "0.10"));
    management.machineDeployment(
        "large",
        0,
        Map.of(
            Capi.CPU_ANNOTATION,
            "8",
            Capi.MEMORY_ANNOTATION,
            "32Gi",
            Capi.PRICE_ANNOTATION,
            "0.50"));
    capi = new FakeCapiController(management.api);
    capi.onProvisioned(this::kubelet);
    capi.start();
    cluster =
        EndToEndCluster.start(
            KubeApiServer.start(),
            new ClusterApiCloudProvider(management.client()),
            clock,
            EndToEndCluster.settings("test"),
            Map.of(
                "capiVersion", "v1beta1",
                "machineWait", "2s",
                "sweepInterval", "1s",
                "cacheTtl", "200ms",
                "registrationTtl", "24h"));
    workload = cluster.client();
    dovetail = cluster.operator();
    binder = cluster.binder();
    ClusterAPINodeClass nodeClass = new ClusterAPINodeClass();
    nodeClass.setMetadata(new ObjectMetaBuilder().withName("default").build());
    workload.resource(nodeClass).create();
  }

  @AfterEach
  void stop() {
    if (rescheduler != null) {
      rescheduler.close();
    }
    capi.close();
    cluster.close();
    management.close();
  }

  /** The test kubelet: a Machine with a providerID becomes a Ready Node in the workload cluster. */
  private void kubelet(GenericKubernetesResource machine) {
    String name = machine.getMetadata().getName();
    String md = Fields.labels(machine).get(Capi.DEPLOYMENT_NAME_LABEL);
    Map<String, String> a = Fields.annotations(management.get(Capi.MACHINE_DEPLOYMENT, md));
    Node node =
        KubeletNodes.ready(
                name,
                Machines.providerId(machine),
                Map.of(
                    "kubernetes.io/hostname", name,
                    "kubernetes.io/os", "linux",
                    "kubernetes.io/arch", "amd64"),
                capacity(a),
                capacity(a),
                Instant.now())
            .build();
    workload.resource(node).create();
  }

  private static Map<String, Quantity> capacity(Map<String, String> a) {
    return Map.of(
        "cpu", new Quantity(a.get(Capi.CPU_ANNOTATION)),
        "memory", new Quantity(a.get(Capi.MEMORY_ANNOTATION)),
        "pods", new Quantity("110"));
  }

  @Test
  void pendingPodsBecomeMachinesAndConsolidationGivesThemBack() throws Exception {
    NodePool pool =
        EndToEndCluster.nodePool(
            new NodeClassReference(
                ClusterAPINodeClass.GROUP, ClusterAPINodeClass.KIND, EndToEndCluster.DEFAULT),
            EndToEndCluster.in("karpenter.sh/capacity-type", "on-demand"));
    workload.resource(pool).create();

    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pods.add(pod("p" + i));
    }
    rescheduler = new Rescheduler(workload, pods);
    pods.forEach(p -> workload.resource(p).create());
    rescheduler.start();
    // Time moves while we wait, as it would: failed in full CI runs with two pods nominated to a
    // NodeClaim whose node other pods had filled; on a frozen clock that nomination never lapsed
    // (it does 10 s after the node is ready and the pod no longer fits), so they waited forever.
    await(
        Duration.ofSeconds(90),
        () -> {
          clock.advance(Duration.ofMillis(250));
          return allBound(8) && allInitialized();
        },
        this::podsAndClaims);

    int claimsBefore = workload.resources(NodeClaim.class).list().getItems().size();
    int replicasBefore = totalReplicas();
    assertThat(replicasBefore).isEqualTo(claimsBefore).isPositive();
    assertThat(claimedMachines()).hasSize(claimsBefore);
    double costBefore = cost();
    assertThat(costBefore).isPositive(); // prices exist, so consolidation can compare

    // Keep one pod on each of two nodes: neither node is empty, so only consolidation (moving a
    // pod and deleting a node) can save money.
    Map<String, String> keepByNode = new java.util.LinkedHashMap<>();
    for (Pod p : workload.pods().inNamespace("default").list().getItems()) {
      if (keepByNode.size() < 2) {
        keepByNode.putIfAbsent(p.getSpec().getNodeName(), p.getMetadata().getName());
      }
    }
    assertThat(keepByNode).hasSize(2);
    Set<String> keep = new HashSet<>(keepByNode.values());
    List<String> gone = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      if (!keep.contains("p" + i)) {
        gone.add("p" + i);
      }
    }
    rescheduler.scaleDown(gone);
    await(
        Duration.ofSeconds(30),
        () -> workload.pods().inNamespace("default").list().getItems().size() == 2,
        "scale down");

    // The Consolidatable condition disruption reads is written by the nodeclaim/disruption
    // controller; it is driven here with the clock, like the disruption pass.
    ClockedConsolidation.runUntilQuiet(
        workload, dovetail, clock, () -> allBound(2) && allInitialized(), Duration.ofSeconds(60));
    await(Duration.ofSeconds(60), () -> allBound(2) && allInitialized(), "final");
    // wait for CAPI to catch up with the last deletions
    await(
        Duration.ofSeconds(30),
        () ->
            totalReplicas() == workload.resources(NodeClaim.class).list().getItems().size()
                && management.machines().size() == totalReplicas(),
        "replicas, Machines and NodeClaims agree");

    int claimsAfter = workload.resources(NodeClaim.class).list().getItems().size();
    assertThat(claimsAfter).isLessThan(claimsBefore);
    // both remaining pods fit on one 2-vCPU node: consolidation moved one of them
    assertThat(claimsAfter).isEqualTo(1);
    assertThat(totalReplicas()).isLessThan(replicasBefore).isEqualTo(claimsAfter);
    assertThat(cost()).isLessThan(costBefore);
    Set<String> nodes = new HashSet<>();
    workload.nodes().list().getItems().forEach(n -> nodes.add(n.getMetadata().getName()));
    assertThat(workload.pods().inNamespace("default").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(keep);
    assertThat(workload.pods().inNamespace("default").list().getItems())
        .allMatch(p -> nodes.contains(p.getSpec().getNodeName()));
    // every remaining NodeClaim is backed by its own claimed Machine
    Set<String> claimNames = new HashSet<>();
    workload
        .resources(NodeClaim.class)
        .list()
        .getItems()
        .forEach(c -> claimNames.add(c.getMetadata().getName()));
    assertThat(claimedMachines())
        .extracting(Machines::claim)
        .containsExactlyInAnyOrderElementsOf(claimNames);
  }

  private List<GenericKubernetesResource> claimedMachines() {
    return management.machines().stream().filter(m -> Machines.claim(m) != null).toList();
  }

  private int totalReplicas() {
    return management.replicas(Capi.MACHINE_DEPLOYMENT, "small")
        + management.replicas(Capi.MACHINE_DEPLOYMENT, "large");
  }

  private double cost() {
    double sum = 0;
    for (NodeClaim c : workload.resources(NodeClaim.class).list().getItems()) {
      sum += dovetail.cloud().price(c);
    }
    return sum;
  }

  /** Each pod as the API and Dovetail's cache see it, and the NodeClaims: a failure's context. */
  private String podsAndClaims() {
    StringBuilder sb = new StringBuilder("provisioning; provisionable in the cache: ");
    sb.append(
        dovetail.state().provisionablePods().stream().map(p -> p.getMetadata().getName()).toList());
    java.util.Map<String, Pod> cache = new java.util.HashMap<>();
    dovetail.state().pods().forEach(c -> cache.put(c.getMetadata().getName(), c));
    for (Pod p : workload.pods().inNamespace("default").list().getItems()) {
      Pod cached = cache.get(p.getMetadata().getName());
      sb.append("\n  pod ")
          .append(p.getMetadata().getName())
          .append(" node=")
          .append(p.getSpec().getNodeName())
          .append(" conditions=")
          .append(p.getStatus() == null ? null : p.getStatus().getConditions())
          .append(" cached=")
          .append(cached == null ? "absent" : "rv " + cached.getMetadata().getResourceVersion())
          .append(" api rv ")
          .append(p.getMetadata().getResourceVersion())
          .append(" nomination=")
          .append(cached == null ? null : dovetail.state().nomination(cached).orElse(null));
    }
    for (NodeClaim c : workload.resources(NodeClaim.class).list().getItems()) {
      sb.append("\n  nodeclaim ")
          .append(c.getMetadata().getName())
          .append(" status=")
          .append(c.getStatus() == null ? null : c.getStatus().getConditions());
    }
    return sb.toString();
  }

  private boolean allBound(int n) {
    Set<String> nodes = new HashSet<>();
    workload.nodes().list().getItems().forEach(x -> nodes.add(x.getMetadata().getName()));
    List<Pod> pods = workload.pods().inNamespace("default").list().getItems();
    return pods.size() == n
        && pods.stream()
            .allMatch(
                p ->
                    p.getSpec().getNodeName() != null && nodes.contains(p.getSpec().getNodeName()));
  }

  private boolean allInitialized() {
    return workload.resources(NodeClaim.class).list().getItems().stream()
        .allMatch(
            c ->
                c.getStatus() != null
                    && Conditions.isTrue(
                        c.getStatus().getConditions(), Karpenter.Conditions.INITIALIZED));
  }

  private static Pod pod(String name) {
    return ReplicaSetPods.pod(name, "700m", "512Mi");
  }
}
