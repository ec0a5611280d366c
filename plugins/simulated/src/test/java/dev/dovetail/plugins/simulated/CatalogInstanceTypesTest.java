package dev.dovetail.plugins.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogInstanceTypesTest {
  private static final Catalog AWS = Catalog.load("aws");

  private static InstanceType type(Catalog c, String name) {
    return CatalogInstanceTypes.build(c, null, 0.075).stream()
        .filter(it -> it.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void everyCatalogEntryIsOfferedOnDemandAndSpotInEveryZone() {
    List<InstanceType> types = CatalogInstanceTypes.build(AWS, null, 0.075);
    assertThat(types).hasSize(AWS.instanceTypes().size());
    for (InstanceType it : types) {
      assertThat(it.offerings()).hasSize(6);
      for (String zone : AWS.zones()) {
        Offering od = offering(it, zone, "on-demand");
        Offering spot = offering(it, zone, "spot");
        assertThat(spot.price()).isLessThan(od.price());
        assertThat(od.available()).isTrue();
      }
    }
  }

  private static Offering offering(InstanceType it, String zone, String ct) {
    return it.offerings().stream()
        .filter(o -> o.zone().equals(zone) && o.capacityType().equals(ct))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void awsTypesCarryUpstreamLabels() {
    Map<String, String> labels = type(AWS, "m5.large").requirements().singleValueLabels();
    assertThat(labels)
        .containsEntry(WellKnownLabels.INSTANCE_TYPE, "m5.large")
        .containsEntry(WellKnownLabels.ARCH, "amd64")
        .containsEntry(WellKnownLabels.OS, "linux")
        .containsEntry(WellKnownLabels.REGION, "us-east-1")
        .containsEntry("karpenter.k8s.aws/instance-family", "m5")
        .containsEntry("karpenter.k8s.aws/instance-category", "m")
        .containsEntry("karpenter.k8s.aws/instance-generation", "5")
        .containsEntry("karpenter.k8s.aws/instance-size", "large")
        .containsEntry("karpenter.k8s.aws/instance-cpu", "2")
        .containsEntry("karpenter.k8s.aws/instance-memory", "8192");
    assertThat(type(AWS, "m7g.large").requirements().singleValueLabels())
        .containsEntry(WellKnownLabels.ARCH, "arm64");
  }

  private static List<String> selected(Requirement r) {
    return CatalogInstanceTypes.build(AWS, null, 0.075).stream()
        .filter(it -> SimulatedCapacity.compatible(it, Requirements.of(r), InstanceTypeLabels.AWS))
        .map(InstanceType::name)
        .toList();
  }

  @Test
  void gpuLabelsSelectGpuTypesAndAbsentLabelsSelectTheOthers() {
    String gpuCount = "karpenter.k8s.aws/instance-gpu-count";
    List<String> gpu = selected(Requirement.exists(gpuCount));
    List<String> noGpu = selected(Requirement.doesNotExist(gpuCount));
    List<String> notNvidia =
        selected(
            Requirement.of(
                "karpenter.k8s.aws/instance-gpu-manufacturer",
                Operator.NotIn,
                List.of("nvidia"),
                null));
    assertThat(gpu).isNotEmpty().contains("p3.2xlarge", "g4ad.xlarge").doesNotContain("m5.large");
    assertThat(noGpu).contains("m5.large").doesNotContain("p3.2xlarge");
    assertThat(gpu.size() + noGpu.size()).isEqualTo(AWS.instanceTypes().size());
    assertThat(notNvidia).contains("m5.large", "g4ad.xlarge").doesNotContain("p3.2xlarge");
    assertThat(selected(Requirement.in("karpenter.k8s.aws/instance-category", "c", "m")))
        .contains("m5.large", "c6g.xlarge")
        .doesNotContain("r5.large");
    // The core reads the same requirements with the plugin API: absent means absent there too.
    InstanceType m5 = type(AWS, "m5.large");
    assertThat(
            m5.requirements().isCompatible(Requirements.of(Requirement.exists(gpuCount)), Set.of()))
        .isFalse();
    assertThat(
            m5.requirements()
                .isCompatible(Requirements.of(Requirement.doesNotExist(gpuCount)), Set.of()))
        .isTrue();
    assertThat(type(AWS, "p3.2xlarge").requirements().singleValueLabels())
        .containsEntry(gpuCount, "1")
        .containsEntry("karpenter.k8s.aws/instance-gpu-manufacturer", "nvidia");
    assertThat(type(AWS, "p3.2xlarge").capacity().get("nvidia.com/gpu")).isEqualTo(1);
  }

  @Test
  void nodePoolAndCustomLabelsDoNotRestrictTheShape() {
    assertThat(selected(Requirement.in("karpenter.sh/nodepool", "default")))
        .hasSize(AWS.instanceTypes().size());
    assertThat(selected(Requirement.in("team", "blue"))).hasSize(AWS.instanceTypes().size());
  }

  @Test
  void azureAndGcpUseTheirOwnPrefixes() {
    Catalog azure = Catalog.load("azure");
    assertThat(type(azure, "Standard_D2s_v3").requirements().singleValueLabels())
        .containsEntry("karpenter.azure.com/sku-family", "D")
        .containsEntry("karpenter.azure.com/sku-version", "3")
        .containsEntry("karpenter.azure.com/sku-cpu", "2")
        .containsEntry(WellKnownLabels.REGION, "eastus");
    Catalog gcp = Catalog.load("gcp");
    InstanceType c2 = type(gcp, "c2-standard-4");
    assertThat(c2.requirements().singleValueLabels())
        .containsEntry("karpenter.k8s.gcp/instance-family", "c2")
        .containsEntry("karpenter.k8s.gcp/instance-category", "c")
        .containsEntry("karpenter.k8s.gcp/instance-cpu", "4");
    assertThat(offering(c2, "us-central1-a", "spot").price()).isEqualTo(0.0505);
  }

  @Test
  void entriesWithoutMemoryAreNotOffered() {
    Catalog azure = Catalog.load("azure");
    List<InstanceType> types = CatalogInstanceTypes.build(azure, null, 0.075);
    assertThat(types).noneMatch(it -> it.name().equals("Standard_B1ls"));
    assertThat(types).hasSize(azure.instanceTypes().size() - 1);
  }

  @Test
  void zoneAndCapacityTypeRequirementsListEveryOfferedValue() {
    InstanceType it = type(AWS, "m5.large");
    assertThat(it.requirements().get(WellKnownLabels.ZONE).values())
        .containsExactlyElementsOf(AWS.zones());
    assertThat(Set.copyOf(it.requirements().get(WellKnownLabels.CAPACITY_TYPE).values()))
        .containsExactlyInAnyOrder("on-demand", "spot");
  }

  @Test
  void allocatableIsPositiveEverywhereAndBelowCapacity() {
    for (String name : Catalog.BUILT_IN) {
      for (InstanceType it : CatalogInstanceTypes.build(Catalog.load(name), null, 0.075)) {
        assertThat(it.allocatable().get("memory")).as(it.name()).isPositive();
        assertThat(it.allocatable().fitsIn(it.capacity())).as(it.name()).isTrue();
      }
    }
  }
}
