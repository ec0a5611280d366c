package dev.dovetail.clusterapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.v1alpha1.ClusterAPINodeClass;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instance types, NodeClass status and the management cluster, on the mock API server. */
class ClusterApiInstanceTypesMockTest extends BridgeMockTestBase {
  // ------------------------------------------------------------------ instance types

  @Test
  void oneInstanceTypePerSelectedScalableResourceOfEveryKind() {
    cluster.machineDeployment("md-a", 0, Map.of());
    cluster.scalable(Capi.MACHINE_SET, "ms-b", 0, Map.of());
    cluster.scalable(Capi.MACHINE_POOL, "mp-c", 0, Map.of());
    // A MachineSet its MachineDeployment owns is scaled through the MachineDeployment.
    cluster.scalable(Capi.MACHINE_SET, "md-a-owned", 0, Map.of());
    cluster.edit(
        Capi.MACHINE_SET,
        "md-a-owned",
        o ->
            o.getMetadata()
                .setOwnerReferences(
                    List.of(
                        new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                            .withKind(Capi.MACHINE_DEPLOYMENT)
                            .withName("md-a")
                            .withApiVersion("cluster.x-k8s.io/v1beta1")
                            .withUid("u")
                            .build())));
    List<InstanceType> types = provider().instanceTypes(POOL, nodeClass());
    assertThat(types)
        .extracting(InstanceType::name)
        .containsExactlyInAnyOrder("md-a", "ms-b", "mp-c");
  }

  @Test
  void selectorNamespaceAndClusterNameNarrowTheSelection() {
    cluster.machineDeployment("md-a", 0, Map.of());
    cluster.machineDeployment("md-b", 0, Map.of());
    cluster.edit(Capi.MACHINE_DEPLOYMENT, "md-b", o -> Fields.label(o, "pool", "gpu"));
    ClusterAPINodeClass nc = nodeClass();
    nc.getSpec().scalableResourceSelector =
        new LabelSelectorBuilder().withMatchLabels(Map.of("pool", "gpu")).build();
    assertThat(provider().instanceTypes(POOL, nc))
        .extracting(InstanceType::name)
        .containsExactly("md-b");
    nc.getSpec().scalableResourceSelector = null;
    nc.getSpec().clusterName = "another-cluster";
    assertThat(provider().instanceTypes(POOL, nc)).isEmpty();
    nc.getSpec().clusterName = CapiMockCluster.CLUSTER;
    nc.getSpec().namespace = "elsewhere";
    assertThat(provider().instanceTypes(POOL, nc)).isEmpty();
  }

  @Test
  void theNamespaceSettingNarrowsNodeClassesThatNameNone() {
    cluster.machineDeployment("md-a", 0, Map.of());
    assertThat(provider(Map.of("namespace", "other")).instanceTypes(POOL, nodeClass())).isEmpty();
    assertThat(provider(Map.of("namespace", CapiMockCluster.NS)).instanceTypes(POOL, nodeClass()))
        .extracting(InstanceType::name)
        .containsExactly("md-a");
  }

  @Test
  void aLongResourceNameBecomesAValidInstanceTypeLabelValue() {
    String longName = "a-very-long-machine-deployment-name-that-exceeds-the-label-value-limit-x";
    cluster.machineDeployment(longName, 0, Map.of());
    String name = provider().instanceTypes(POOL, nodeClass()).get(0).name();
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9_.]*[a-z0-9])?");
    assertThat(name).startsWith("a-very-long");
  }

  @Test
  void capacityRequirementsAndPriceComeFromTheAnnotations() {
    cluster.machineDeployment(
        "gpu",
        0,
        Map.of(
            Capi.GPU_TYPE_ANNOTATION, "nvidia.com/gpu",
            Capi.GPU_COUNT_ANNOTATION, "2",
            Capi.EPHEMERAL_DISK_ANNOTATION, "100Gi",
            Capi.LABELS_ANNOTATION, "karpenter.sh/capacity-type=spot,kubernetes.io/arch=arm64",
            Capi.PRICE_ANNOTATION, "1.25"));
    InstanceType it = provider().instanceTypes(POOL, nodeClass()).get(0);
    assertThat(it.capacity().get(Resources.CPU)).isEqualTo(4000);
    assertThat(it.capacity().get(Resources.MEMORY)).isEqualTo(16L << 30);
    assertThat(it.capacity().get(Resources.NVIDIA_GPU)).isEqualTo(2);
    assertThat(it.capacity().get(Resources.EPHEMERAL_STORAGE)).isEqualTo(100L << 30);
    assertThat(it.capacity().get(Resources.PODS)).isEqualTo(110);
    assertThat(it.offerings())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.zone()).isEqualTo("zone-a");
              assertThat(o.capacityType()).isEqualTo("spot");
              assertThat(o.price()).isEqualTo(1.25);
              assertThat(o.available()).isTrue();
            });
    assertThat(it.requirements().get(WellKnownLabels.ARCH).values()).containsExactly("arm64");
    assertThat(it.requirements().get("node-role.kubernetes.io/worker")).isNotNull();
    // template labels CAPI does not propagate to nodes are not requirements
    assertThat(it.requirements().get("team")).isNull();
  }

  @Test
  void withoutAPriceAnnotationTheDefaultPerVcpuAndGibPrices() {
    cluster.machineDeployment(
        "small", 0, Map.of(Capi.CPU_ANNOTATION, "2", Capi.MEMORY_ANNOTATION, "4Gi"));
    cluster.machineDeployment("big", 0, Map.of(Capi.CURRENT_PRICE_ANNOTATION, "3.5"));
    List<InstanceType> types =
        provider(Map.of("pricePerVcpu", "0.05", "pricePerGib", "0.01"))
            .instanceTypes(POOL, nodeClass());
    Map<String, Double> prices = new HashMap<>();
    types.forEach(t -> prices.put(t.name(), t.offerings().get(0).price()));
    assertThat(prices.get("small"))
        .isCloseTo(2 * 0.05 + 4 * 0.01, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(prices.get("big")).isEqualTo(3.5);
  }

  @Test
  void infrastructureTemplateCapacityIsUsedAndAnnotationsWin() {
    GenericKubernetesResource template = new GenericKubernetesResource();
    template.setApiVersion(CapiMockCluster.INFRA_GROUP + "/v1beta1");
    template.setKind("DockerMachineTemplate");
    template.setMetadata(
        new ObjectMetaBuilder().withName("tpl-infra-v1").withNamespace(CapiMockCluster.NS).build());
    Fields.set(
        template,
        "status.capacity",
        new HashMap<>(Map.of("cpu", "8", "memory", "32Gi", "nvidia.com/gpu", "1")));
    cluster
        .client()
        .genericKubernetesResources(
            dev.dovetail.clusterapi.capi.CapiApi.context(
                CapiMockCluster.INFRA_GROUP, "v1beta1", "DockerMachineTemplate"))
        .inNamespace(CapiMockCluster.NS)
        .resource(template)
        .create();
    Map<String, String> onlyMemory = new HashMap<>();
    onlyMemory.put(Capi.CPU_ANNOTATION, null);
    onlyMemory.put(Capi.MEMORY_ANNOTATION, "64Gi");
    cluster.machineDeployment("tpl", 0, onlyMemory);
    InstanceType it = provider().instanceTypes(POOL, nodeClass()).get(0);
    assertThat(it.capacity().get(Resources.CPU)).isEqualTo(8000);
    assertThat(it.capacity().get(Resources.MEMORY)).isEqualTo(64L << 30);
    assertThat(it.capacity().get(Resources.NVIDIA_GPU)).isEqualTo(1);
  }

  @Test
  void atMaxSizeTheOfferingIsUnavailable() {
    cluster.machineDeployment("full", 2, Map.of(Capi.MAX_SIZE_ANNOTATION, "2"));
    cluster.machineDeployment("room", 1, Map.of(Capi.MAX_SIZE_ANNOTATION, "2"));
    Map<String, Boolean> available = new HashMap<>();
    provider()
        .instanceTypes(POOL, nodeClass())
        .forEach(t -> available.put(t.name(), t.offerings().get(0).available()));
    assertThat(available).containsEntry("full", false).containsEntry("room", true);
  }

  // ------------------------------------------------------------------ NodeClass status

  @Test
  void nodeClassIsReadyWithTheMatchedResources() {
    cluster.machineDeployment("md-a", 3, Map.of());
    NodeClassStatus status = provider().nodeClassStatus(nodeClass()).orElseThrow();
    assertThat(status.isReady()).isTrue();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> matched =
        (List<Map<String, Object>>) status.fields().get("scalableResources");
    assertThat(matched)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m)
                  .containsEntry("kind", "MachineDeployment")
                  .containsEntry("name", "md-a");
              assertThat(m).containsEntry("instanceType", "md-a").containsEntry("replicas", 3);
            });
  }

  @Test
  void nodeClassIsNotReadyWhenTheSelectorMatchesNothing() {
    cluster.machineDeployment("md-a", 0, Map.of());
    ClusterAPINodeClass nc = nodeClass();
    nc.getSpec().scalableResourceSelector =
        new LabelSelectorBuilder().withMatchLabels(Map.of("no", "match")).build();
    NodeClassStatus status = provider().nodeClassStatus(nc).orElseThrow();
    assertThat(status.isReady()).isFalse();
    assertThat(status.notReadyMessage()).contains("matches no MachineDeployment");
  }

  @Test
  void nodeClassIsNotReadyWhenNoResourceHasCapacity() {
    Map<String, String> none = new HashMap<>();
    none.put(Capi.CPU_ANNOTATION, null);
    none.put(Capi.MEMORY_ANNOTATION, null);
    cluster.machineDeployment("bare", 0, none);
    NodeClassStatus status = provider().nodeClassStatus(nodeClass()).orElseThrow();
    assertThat(status.isReady()).isFalse();
    assertThat(status.notReadyMessage()).contains("bare").contains(Capi.CPU_ANNOTATION);
  }

  // ------------------------------------------------------------------ management cluster

  @Test
  void theManagementClusterComesFromTheKubeconfigSetting(@TempDir Path dir) throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    Path kubeconfig = dir.resolve("management.kubeconfig");
    Files.writeString(kubeconfig, cluster.kubeconfig());
    ClusterApiCloudProvider p = new ClusterApiCloudProvider();
    p.start(
        new ProviderContext(
            "test",
            Map.of(
                "managementKubeconfig",
                kubeconfig.toString(),
                "capiVersion",
                "v1beta1",
                "sweepInterval",
                "0s"),
            clock,
            registrar,
            InterruptionListener.IGNORE));
    providers.add(p);
    assertThat(p.instanceTypes(POOL, nodeClass()))
        .extracting(InstanceType::name)
        .containsExactly("md");
  }

  @Test
  void anUnreadableKubeconfigFailsStartNamingTheSetting(@TempDir Path dir) {
    ClusterApiCloudProvider p = new ClusterApiCloudProvider();
    assertThatThrownBy(
            () ->
                p.start(
                    new ProviderContext(
                        "test",
                        Map.of("managementKubeconfig", dir.resolve("missing").toString()),
                        clock,
                        registrar,
                        InterruptionListener.IGNORE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("managementKubeconfig");
  }

  @Test
  void theApiVersionFallsBackToV1beta1WhenDiscoveryDoesNotServeV1beta2() {
    assertThat(new dev.dovetail.clusterapi.capi.CapiApi(cluster.client()).version())
        .isEqualTo("v1beta1");
  }
}
