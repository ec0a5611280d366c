package dev.dovetail.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.Catalogs;
import dev.dovetail.gcp.instancetype.GceLabels;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import dev.dovetail.gcp.v1alpha1.KubeletConfiguration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Instance types from MachineTypes.aggregatedList over HTTP. */
class InstanceTypesWireMockTest {
  private GcpCloudProvider provider;
  private final GCENodeClass nodeClass = GceWireMock.nodeClass();

  @BeforeEach
  void start() {
    GceWireMock.reset();
    provider = GceWireMock.start(InterruptionListener.IGNORE);
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  private Map<String, InstanceType> types() {
    return Catalogs.byName(provider.instanceTypes(null, nodeClass));
  }

  @Test
  void labelsFollowUpstream() {
    InstanceType n2 = types().get("n2-standard-4");
    Map<String, String> labels = n2.requirements().singleValueLabels();
    assertThat(labels)
        .containsEntry(WellKnownLabels.ARCH, "amd64")
        .containsEntry(WellKnownLabels.OS, "linux")
        .containsEntry(WellKnownLabels.REGION, "us-central1")
        .containsEntry(GceLabels.INSTANCE_FAMILY, "n2")
        .containsEntry(GceLabels.INSTANCE_SHAPE, "standard")
        .containsEntry(GceLabels.INSTANCE_SIZE, "4")
        .containsEntry(GceLabels.INSTANCE_GENERATION, "2")
        .containsEntry(GceLabels.INSTANCE_CPU, "4")
        .containsEntry(GceLabels.INSTANCE_MEMORY, "16384");
    assertThat(n2.requirements().get(GceLabels.INSTANCE_GPU_COUNT).operator().name())
        .isEqualTo("DoesNotExist");
  }

  @Test
  void armAndAcceleratorsAreMapped() {
    Map<String, InstanceType> types = types();
    assertThat(types.get("t2a-standard-4").requirements().singleValueLabels())
        .containsEntry(WellKnownLabels.ARCH, "arm64")
        .containsEntry(GceLabels.INSTANCE_GENERATION, "2");
    InstanceType a2 = types.get("a2-highgpu-2g");
    assertThat(a2.capacity().get(Resources.NVIDIA_GPU)).isEqualTo(2);
    assertThat(a2.requirements().singleValueLabels())
        .containsEntry(GceLabels.INSTANCE_GPU_NAME, "nvidia-tesla-a100")
        .containsEntry(GceLabels.INSTANCE_GPU_COUNT, "2")
        .containsEntry(GceLabels.GKE_ACCELERATOR, "nvidia-tesla-a100")
        .containsEntry(GceLabels.INSTANCE_SIZE, "2g");
    assertThat(types.get("g2-standard-4").capacity().get(Resources.NVIDIA_GPU)).isEqualTo(1);
    assertThat(types.get("n2-standard-4").capacity().has(Resources.NVIDIA_GPU)).isFalse();
  }

  @Test
  void offeringsCoverTheRegionsZonesOnlyWithSpotCheaper() {
    InstanceType n2 = types().get("n2-standard-4");
    assertThat(n2.offerings())
        .extracting(Offering::zone)
        .containsOnly(FakeGce.ZONES.toArray(String[]::new));
    assertThat(n2.offerings()).hasSize(6);
    double od =
        n2.offerings().stream()
            .filter(o -> o.capacityType().equals("on-demand"))
            .findFirst()
            .orElseThrow()
            .price();
    double spot =
        n2.offerings().stream()
            .filter(o -> o.capacityType().equals("spot"))
            .findFirst()
            .orElseThrow()
            .price();
    assertThat(od).isEqualTo(0.1942);
    assertThat(spot).isLessThan(od);
    // accelerator-optimized shapes missing from the catalog are priced with their GPUs
    assertThat(types().get("a2-highgpu-2g").offerings().get(0).price()).isGreaterThan(2 * 2.9);
  }

  @Test
  void capacityAndGkeReservations() {
    InstanceType n2 = types().get("n2-standard-4");
    assertThat(n2.capacity().get(Resources.CPU)).isEqualTo(4000);
    assertThat(n2.capacity().get(Resources.PODS)).isEqualTo(110);
    assertThat(n2.overhead().kubeReserved().get(Resources.CPU)).isEqualTo(80);
    assertThat(n2.overhead().kubeReserved().get(Resources.MEMORY)).isEqualTo(2662L << 20);
    assertThat(n2.overhead().evictionThreshold().get(Resources.MEMORY)).isEqualTo(100L << 20);
    assertThat(n2.allocatable().get(Resources.CPU)).isEqualTo(3920);
  }

  @Test
  void kubeletSettingsShapeCapacityAndOverhead() {
    KubeletConfiguration kc = new KubeletConfiguration();
    kc.maxPods = 64;
    kc.podsPerCore = 8;
    kc.kubeReserved = Map.of("cpu", "500m");
    nodeClass.getSpec().kubeletConfiguration = kc;
    InstanceType n2 = types().get("n2-standard-4");
    assertThat(n2.capacity().get(Resources.PODS)).isEqualTo(32);
    assertThat(n2.overhead().kubeReserved().get(Resources.CPU)).isEqualTo(500);
    assertThat(types().get("n2-standard-8").capacity().get(Resources.PODS)).isEqualTo(64);
  }

  @Test
  void zonesAreDiscoveredFromTheRegion() {
    assertThat(provider.core().zones()).containsExactlyElementsOf(FakeGce.ZONES);
  }

  @Test
  void aFailedListIsAnErrorNotAnEmptyCatalogAndIsRetried() {
    GceWireMock.GCE.failMachineTypes(2);
    assertThat(types()).isNotEmpty();
    GceWireMock.reset();
    provider.close();
    provider = GceWireMock.start(InterruptionListener.IGNORE);
    GceWireMock.GCE.failMachineTypes(100);
    assertThatThrownBy(() -> provider.instanceTypes(null, nodeClass))
        .isInstanceOf(com.google.api.gax.rpc.ApiException.class);
  }

  @Test
  void deprecatedMachineTypesAreLeftOut() {
    GceWireMock.GCE.machineTypes(
        List.of(
            FakeGce.machineType("n2-standard-4", 4, 16384, "X86_64", null, 0),
            FakeGce.machineType("n1-standard-4", 4, 15360, "X86_64", null, 0).toBuilder()
                .setDeprecated(
                    com.google.cloud.compute.v1.DeprecationStatus.newBuilder()
                        .setState("DEPRECATED"))
                .build()));
    assertThat(types()).containsOnlyKeys("n2-standard-4");
  }
}
