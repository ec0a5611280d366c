package dev.dovetail.azure;

import static dev.dovetail.cloudprovider.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.azure.v1beta1.AKSNodeClass;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.testkit.KubeletNodes;
import dev.dovetail.demo.Binder;
import dev.dovetail.e2e.EndToEndCluster;
import dev.dovetail.operator.DovetailOperator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dovetail's real controllers on the embedded API server with the Azure plugin against the WireMock
 * fake of ARM: pending pods → NodeClaims → VMs (NIC, then VM, over the SDK) → Nodes (the test plays
 * the kubelet, registering a Ready Node with the VM's providerID) → pods bound; then the pods go,
 * consolidation empties the nodes, and the VMs, NICs and disks are deleted.
 */
class AzureEndToEndMockTest {
  private static final FakeAzure AZURE = AzureFixtures.AZURE;
  private EndToEndCluster cluster;
  private KubernetesClient client;
  private DovetailOperator dovetail;
  private Binder binder;
  private AzureCloudProvider provider;

  @BeforeEach
  void start() {
    WireMockServer server = AzureFixtures.resetAzure();
    Map<String, String> providerSettings = new HashMap<>(AzureFixtures.settingsMap(server));
    providerSettings.put("pricingRefreshHours", "0");
    provider = new AzureCloudProvider();
    cluster =
        EndToEndCluster.start(
            KubeApiServer.start(),
            provider,
            Clock.systemUTC(),
            EndToEndCluster.settings("demo"),
            providerSettings);
    client = cluster.client();
    dovetail = cluster.operator();
    binder = cluster.binder();
    AKSNodeClass nodeClass = AzureFixtures.nodeClass();
    client.resource(nodeClass).create();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void podsGetAzureVmsAndScaleDownDeletesThem() throws Exception {
    NodePool pool =
        EndToEndCluster.nodePool(
            new NodeClassReference(AKSNodeClass.GROUP, AKSNodeClass.KIND, EndToEndCluster.DEFAULT),
            EndToEndCluster.in("karpenter.sh/capacity-type", "on-demand"),
            EndToEndCluster.in("kubernetes.io/arch", "amd64"));
    client.resource(pool).create();
    for (int i = 0; i < 4; i++) {
      client.resource(pod("p" + i, "500m", "1Gi")).create();
    }

    await(
        Duration.ofSeconds(90),
        () -> {
          registerNodes();
          return client.pods().inNamespace("default").list().getItems().stream()
              .allMatch(p -> p.getSpec().getNodeName() != null);
        },
        () ->
            "pods not bound; claims "
                + client.resources(NodeClaim.class).list().getItems().stream()
                    .map(c -> c.getMetadata().getName() + "=" + c.getStatus().getConditions())
                    .toList()
                + " VMs "
                + AZURE.vmNames()
                + " reasons "
                + dovetail.provisioner().unschedulableReasons());

    List<NodeClaim> claims = client.resources(NodeClaim.class).list().getItems();
    assertThat(claims).isNotEmpty();
    Set<String> vmNames = AZURE.vmNames();
    assertThat(vmNames).hasSize(claims.size());
    assertThat(AZURE.nicNames()).isEqualTo(vmNames);
    for (NodeClaim c : claims) {
      assertThat(c.getStatus().getProviderID())
          .startsWith("azure:///subscriptions/" + FakeAzure.SUB + "/resourceGroups/" + FakeAzure.RG)
          .endsWith("/virtualMachines/aks-" + c.getMetadata().getName());
      assertThat(
              AZURE
                  .vm("aks-" + c.getMetadata().getName())
                  .path("properties")
                  .path("priority")
                  .asText())
          .isEqualTo("Regular");
    }

    client.pods().inNamespace("default").delete();
    await(
        Duration.ofSeconds(90),
        () -> {
          dovetail.disruption().reconcileOnce();
          return client.resources(NodeClaim.class).list().getItems().isEmpty()
              && AZURE.vmNames().isEmpty();
        },
        () ->
            "not scaled down: claims "
                + client.resources(NodeClaim.class).list().getItems().stream()
                    .map(c -> c.getMetadata().getName())
                    .toList()
                + " VMs "
                + AZURE.vmNames());
    assertThat(AZURE.nicNames()).isEmpty();
    assertThat(AZURE.diskNames()).isEmpty();
  }

  /** The kubelet's part: a Ready Node for every launched NodeClaim that has none yet. */
  private void registerNodes() {
    Set<String> existing =
        client.nodes().list().getItems().stream()
            .map(n -> n.getSpec().getProviderID())
            .collect(Collectors.toSet());
    for (NodeClaim c : client.resources(NodeClaim.class).list().getItems()) {
      String pid = c.getStatus() == null ? null : c.getStatus().getProviderID();
      if (pid == null || existing.contains(pid) || c.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Instance vm = provider.get(pid);
      Map<String, String> labels = new LinkedHashMap<>(vm.labels());
      if (c.getMetadata().getLabels() != null) {
        labels.putAll(c.getMetadata().getLabels());
      }
      String name = pid.substring(pid.lastIndexOf('/') + 1);
      labels.put("kubernetes.io/hostname", name);
      List<Taint> taints = new ArrayList<>();
      taints.add(
          new TaintBuilder()
              .withKey(Karpenter.UNREGISTERED_TAINT_KEY)
              .withEffect("NoExecute")
              .build());
      Node node =
          KubeletNodes.ready(
                  name,
                  pid,
                  labels,
                  KubeletNodes.quantities(vm.capacity()),
                  KubeletNodes.quantities(vm.allocatable()),
                  Instant.now())
              .editSpec()
              .withTaints(taints)
              .endSpec()
              .editStatus()
              .withNewNodeInfo()
              .withArchitecture(labels.getOrDefault("kubernetes.io/arch", "amd64"))
              .withOperatingSystem("linux")
              .withKubeletVersion("v1.33.3")
              .endNodeInfo()
              .endStatus()
              .build();
      client.nodes().resource(node).createOr(n -> n.update());
    }
  }

  private static Pod pod(String name, String cpu, String memory) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.k8s.io/pause:3.9")
        .withNewResources()
        .addToRequests("cpu", new Quantity(cpu))
        .addToRequests("memory", new Quantity(memory))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Pending")
        .addNewCondition()
        .withType("PodScheduled")
        .withStatus("False")
        .withReason("Unschedulable")
        .endCondition()
        .endStatus()
        .build();
  }
}
