package dev.dovetail.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.cloudprovider.testkit.ReplicaSetPods;
import dev.dovetail.demo.Binder;
import dev.dovetail.demo.ClockedConsolidation;
import dev.dovetail.demo.Rescheduler;
import dev.dovetail.kube.Conditions;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.plugins.simulated.KWOKNodeClass;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
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
 * The whole loop with disruption: provision a workload, shrink it, and let consolidation remove
 * what is no longer needed while a stand-in ReplicaSet controller keeps the remaining pods alive.
 */
class ConsolidationLoopMockTest {
  private final MutableClock clock = new MutableClock(Instant.now());
  private EndToEndCluster cluster;
  private KubernetesClient client;
  private DovetailOperator dovetail;
  private SimulatedCloud cloud;
  private Binder binder;
  private Rescheduler rescheduler;

  @BeforeEach
  void start() {
    KubeApiServer api = KubeApiServer.start();
    api.registerCustomResource(
        KWOKNodeClass.GROUP,
        KWOKNodeClass.VERSION,
        "KWOKNodeClass",
        io.fabric8.kubernetes.api.model.HasMetadata.getPlural(KWOKNodeClass.class),
        false);
    cloud = new SimulatedCloud();
    cluster =
        EndToEndCluster.start(
            api,
            cloud,
            clock,
            EndToEndCluster.settings("test")
                .withFeatureGates(
                    dev.dovetail.operator.FeatureGates.parse("SpotToSpotConsolidation=true")),
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
    if (rescheduler != null) {
      rescheduler.close();
    }
    cluster.close();
  }

  @Test
  void scaleDownIsConsolidatedWithoutLosingAPod() throws Exception {
    NodePool pool =
        EndToEndCluster.nodePool(
            new NodeClassReference(
                KWOKNodeClass.GROUP, KWOKNodeClass.KIND, EndToEndCluster.DEFAULT),
            EndToEndCluster.in("karpenter.sh/capacity-type", "on-demand"),
            EndToEndCluster.in("karpenter.k8s.aws/instance-family", "m5", "c5"));
    client.resource(pool).create();
    List<Pod> workload = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      workload.add(pod("p" + i, "1"));
    }
    rescheduler = new Rescheduler(client, workload);
    workload.forEach(p -> client.resource(p).create());
    rescheduler.start();
    // Time moves while we wait, as it would: a nomination whose node others filled lapses 10 s
    // after the node is ready; on a frozen clock it never would.
    Eventually.await(
        Duration.ofSeconds(60),
        () -> {
          clock.advance(Duration.ofMillis(250));
          return allBound(16) && allInitialized();
        },
        () -> "not provisioned");
    double before = cost();
    int nodesBefore = client.resources(NodeClaim.class).list().getItems().size();

    List<String> gone = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      gone.add("p" + i);
    }
    rescheduler.scaleDown(gone);
    Eventually.await(
        Duration.ofSeconds(20),
        () -> client.pods().inNamespace("default").list().getItems().size() == 4,
        () -> "scale down");

    // Drive disruption passes with the clock until nothing more happens (the operator polls
    // once an hour).
    ClockedConsolidation.runUntilQuiet(
        client, dovetail, clock, () -> allBound(4) && allInitialized(), Duration.ofSeconds(30));
    Eventually.await(Duration.ofSeconds(30), () -> allBound(4) && allInitialized(), () -> "final");
    double after = cost();
    int nodesAfter = client.resources(NodeClaim.class).list().getItems().size();
    assertThat(after).isLessThan(before);
    assertThat(nodesAfter).isLessThanOrEqualTo(nodesBefore);
    // no pod lost: every remaining pod runs on a node that exists
    Set<String> nodes = new HashSet<>();
    client.nodes().list().getItems().forEach(n -> nodes.add(n.getMetadata().getName()));
    List<Pod> pods = client.pods().inNamespace("default").list().getItems();
    assertThat(pods)
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("p12", "p13", "p14", "p15");
    assertThat(pods).allMatch(p -> nodes.contains(p.getSpec().getNodeName()));
    // disrupted nodes were tainted before they went, and none is left tainted
    for (Node n : client.nodes().list().getItems()) {
      assertThat(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints())
          .noneMatch(t -> Karpenter.DISRUPTED_TAINT_KEY.equals(t.getKey()));
    }
  }

  @Test
  void aSpotInterruptionFromTheCloudReplacesTheNodeAheadOfTheDeadline() throws Exception {
    NodePool pool = new NodePool();
    pool.setMetadata(new ObjectMetaBuilder().withName("spot").build());
    pool.getSpec()
        .getTemplate()
        .getSpec()
        .setRequirements(
            List.of(
                new NodeSelectorRequirementWithMinValues(
                    "karpenter.sh/capacity-type", "In", List.of("spot"), null)));
    pool.getSpec()
        .getTemplate()
        .getSpec()
        .setNodeClassRef(
            new NodeClassReference(KWOKNodeClass.GROUP, KWOKNodeClass.KIND, "default"));
    client.resource(pool).create();
    List<Pod> workload = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      workload.add(pod("s" + i, "1"));
    }
    rescheduler = new Rescheduler(client, workload);
    workload.forEach(p -> client.resource(p).create());
    rescheduler.start();
    Eventually.await(
        Duration.ofSeconds(60), () -> allBound(4) && allInitialized(), () -> "not provisioned");
    List<NodeClaim> before = client.resources(NodeClaim.class).list().getItems();
    NodeClaim victim = before.get(0);
    cloud.interrupt(victim.getStatus().getProviderID());
    Eventually.await(
        Duration.ofSeconds(30),
        () ->
            client.resources(NodeClaim.class).withName(victim.getMetadata().getName()).get()
                == null,
        () -> "interrupted NodeClaim not deleted");
    Eventually.await(
        Duration.ofSeconds(60), () -> allBound(4) && allInitialized(), () -> "pods not back");
    assertThat(client.resources(NodeClaim.class).list().getItems())
        .extracting(c -> c.getMetadata().getName())
        .doesNotContain(victim.getMetadata().getName())
        .isNotEmpty();
    assertThat(client.events().v1().events().inAnyNamespace().list().getItems())
        .anyMatch(e -> "SpotInterrupted".equals(e.getReason()));
  }

  private boolean allBound(int n) {
    Set<String> nodes = new HashSet<>();
    client.nodes().list().getItems().forEach(x -> nodes.add(x.getMetadata().getName()));
    List<Pod> pods = client.pods().inNamespace("default").list().getItems();
    return pods.size() == n
        && pods.stream()
            .allMatch(
                p ->
                    p.getSpec().getNodeName() != null && nodes.contains(p.getSpec().getNodeName()));
  }

  private boolean allInitialized() {
    return client.resources(NodeClaim.class).list().getItems().stream()
        .allMatch(
            c ->
                c.getStatus() != null
                    && Conditions.isTrue(
                        c.getStatus().getConditions(), Karpenter.Conditions.INITIALIZED));
  }

  private double cost() {
    double sum = 0;
    for (NodeClaim c : client.resources(NodeClaim.class).list().getItems()) {
      sum += dovetail.cloud().price(c);
    }
    return sum;
  }

  private static Pod pod(String name, String cpu) {
    return ReplicaSetPods.pod(name, cpu, "512Mi");
  }
}
