package dev.dovetail.gcp;

import static dev.dovetail.cloudprovider.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.KubeletNodes;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.demo.Binder;
import dev.dovetail.e2e.EndToEndCluster;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import dev.dovetail.operator.DovetailOperator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dovetail's real controllers on the embedded API server with the GCP plugin against WireMock, up
 * and down: pending pods → NodeClaims → {@code instances.insert} → Nodes (this test plays the
 * kubelet, registering a Ready Node with the instance's providerID) → pods bound; then the pods go,
 * consolidation empties the nodes and the instances are deleted on the fake GCE.
 */
class GcpEndToEndMockTest {
  private final MutableClock clock = new MutableClock(Instant.now());
  private EndToEndCluster cluster;
  private KubernetesClient client;
  private DovetailOperator dovetail;
  private Binder binder;
  private ScheduledExecutorService kubelet;
  private final List<String> kubeletErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    GceWireMock.reset();
    Map<String, String> providerSettings = new HashMap<>(GceWireMock.settings());
    providerSettings.put("operationPollInterval", "10ms");
    providerSettings.put("operationTimeout", "60s");
    cluster =
        EndToEndCluster.start(
            KubeApiServer.start(),
            new GcpCloudProvider(),
            clock,
            EndToEndCluster.settings("test-cluster"),
            providerSettings);
    client = cluster.client();
    dovetail = cluster.operator();
    binder = cluster.binder();
    client.resource(GceWireMock.nodeClass()).create();
    kubelet = Executors.newSingleThreadScheduledExecutor();
    kubelet.scheduleWithFixedDelay(this::registerNodes, 50, 50, TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() {
    kubelet.shutdownNow();
    cluster.close();
  }

  @Test
  void podsGetGceInstancesAndTheInstancesGoWhenThePodsDo() throws Exception {
    client.resource(nodePool()).create();
    for (int i = 0; i < 6; i++) {
      Map<String, String> selector = i % 3 == 0 ? Map.of(WellKnownLabels.ARCH, "arm64") : Map.of();
      client.resource(pod("p" + i, "1500m", "2Gi", selector)).create();
    }

    await(
        Duration.ofSeconds(120),
        () -> {
          // Drive a scheduling pass too: the binder's own thread has been seen to stall on a
          // loaded machine while every NodeClaim and Node was already Ready. Time moves as it
          // would: a nomination whose target cannot take the pod lapses (on a frozen clock it
          // never did, and the pod waited for it forever).
          clock.advance(Duration.ofSeconds(1));
          binder.round();
          return pods().stream().allMatch(p -> p.getSpec().getNodeName() != null);
        },
        () ->
            "unbound pods; reasons "
                + dovetail.provisioner().unschedulableReasons()
                + "\nclaims "
                + claims().stream()
                    .map(
                        c ->
                            c.getMetadata().getName()
                                + " "
                                + c.getStatus().getProviderID()
                                + " "
                                + c.getStatus().getConditions())
                    .toList()
                + "\nnodes "
                + client.nodes().list().getItems().stream()
                    .map(
                        n ->
                            n.getMetadata().getName()
                                + " "
                                + n.getSpec().getTaints()
                                + " "
                                + n.getStatus().getConditions())
                    .toList()
                + "\nallocatable "
                + client.nodes().list().getItems().stream()
                    .map(
                        n ->
                            n.getMetadata().getName()
                                + " "
                                + n.getStatus().getAllocatable()
                                + " "
                                + n.getMetadata().getLabels().get(WellKnownLabels.ARCH))
                    .toList()
                + "\ninstances "
                + GceWireMock.GCE.instances().keySet()
                + "\nkubelet errors "
                + kubeletErrors.stream().distinct().limit(5).toList());

    List<NodeClaim> claims = claims();
    assertThat(claims).isNotEmpty();
    Map<String, com.google.cloud.compute.v1.Instance> gce = GceWireMock.GCE.instances();
    assertThat(gce).hasSize(claims.size());
    for (NodeClaim claim : claims) {
      String providerId = claim.getStatus().getProviderID();
      assertThat(providerId).startsWith("gce://" + FakeGce.PROJECT + "/us-central1-");
      ProviderId id = ProviderId.parse(providerId);
      com.google.cloud.compute.v1.Instance instance = gce.get(id.zone() + "/" + id.name());
      assertThat(instance).as("GCE instance of %s", claim.getMetadata().getName()).isNotNull();
      assertThat(instance.getLabelsMap())
          .containsEntry("karpenter-sh-nodepool", "default")
          .containsEntry("karpenter-k8s-gcp-cluster", "test-cluster");
      assertThat(instance.getScheduling().getProvisioningModel()).isEqualTo("SPOT");
    }
    for (Pod p : pods()) {
      Node node = client.nodes().withName(p.getSpec().getNodeName()).get();
      if (p.getSpec().getNodeSelector() != null) {
        assertThat(node.getMetadata().getLabels())
            .containsAllEntriesOf(p.getSpec().getNodeSelector());
      }
    }
    assertThat(nodesByArch("arm64")).isPositive();

    // Down: the pods go; consolidation removes the empty nodes and the instances are deleted.
    client.pods().inNamespace("default").delete();
    await(Duration.ofSeconds(30), () -> pods().isEmpty(), () -> "pods still there");
    await(
        Duration.ofSeconds(120),
        () -> {
          clock.advance(Duration.ofSeconds(30));
          dovetail.disruption().reconcileOnce();
          return GceWireMock.GCE.instances().isEmpty() && claims().isEmpty();
        },
        () ->
            "left: instances "
                + GceWireMock.GCE.instances().keySet()
                + ", claims "
                + claims().stream().map(c -> c.getMetadata().getName()).toList());
    assertThat(GceWireMock.GCE.deletes()).isGreaterThanOrEqualTo(claims.size());
  }

  private long nodesByArch(String arch) {
    return client.nodes().list().getItems().stream()
        .filter(n -> arch.equals(n.getMetadata().getLabels().get(WellKnownLabels.ARCH)))
        .count();
  }

  /** The kubelet's part: a Ready Node for every launched NodeClaim whose instance exists. */
  private void registerNodes() {
    try {
      for (NodeClaim claim : claims()) {
        String providerId = claim.getStatus() == null ? null : claim.getStatus().getProviderID();
        if (providerId == null || claim.getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        ProviderId id = ProviderId.parse(providerId);
        if (client.nodes().withName(id.name()).get() != null
            || !GceWireMock.GCE.instances().containsKey(id.zone() + "/" + id.name())) {
          continue;
        }
        dev.dovetail.cloudprovider.Instance instance = dovetail.cloud().provider().get(providerId);
        Map<String, String> labels = new LinkedHashMap<>(instance.labels());
        labels.put(WellKnownLabels.HOSTNAME, id.name());
        client
            .nodes()
            .resource(
                KubeletNodes.ready(
                        id.name(),
                        providerId,
                        labels,
                        KubeletNodes.quantities(instance.capacity()),
                        KubeletNodes.quantities(instance.allocatable()),
                        clock.instant())
                    .build())
            .create();
      }
    } catch (Throwable e) { // NOPMD: a scheduled task that throws is never run again
      // the next round retries, as a kubelet does
      kubeletErrors.add(e.toString());
    }
  }

  private List<NodeClaim> claims() {
    return client.resources(NodeClaim.class).list().getItems();
  }

  private List<Pod> pods() {
    return client.pods().inNamespace("default").list().getItems();
  }

  private static NodePool nodePool() {
    return EndToEndCluster.nodePool(
        new NodeClassReference(GCENodeClass.GROUP, GCENodeClass.KIND, EndToEndCluster.DEFAULT),
        EndToEndCluster.in(WellKnownLabels.CAPACITY_TYPE, "spot"));
  }

  private static Pod pod(String name, String cpu, String memory, Map<String, String> selector) {
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
        .withNodeSelector(selector.isEmpty() ? null : selector)
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
