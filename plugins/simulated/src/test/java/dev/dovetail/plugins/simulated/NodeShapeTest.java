package dev.dovetail.plugins.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InstanceType.Overhead;
import dev.dovetail.cloudprovider.Resources;
import org.junit.jupiter.api.Test;

class NodeShapeTest {
  private static final long MI = 1L << 20;

  @Test
  void kubeReservedCpuFollowsKarpenterTiers() {
    assertThat(NodeShape.kubeReservedCpuMillis(1000)).isEqualTo(60);
    assertThat(NodeShape.kubeReservedCpuMillis(2000)).isEqualTo(70);
    assertThat(NodeShape.kubeReservedCpuMillis(4000)).isEqualTo(80);
    assertThat(NodeShape.kubeReservedCpuMillis(8000)).isEqualTo(90);
    assertThat(NodeShape.kubeReservedCpuMillis(96000)).isEqualTo(310);
  }

  @Test
  void m5LargeMatchesAwsShape() {
    CatalogEntry m5 = new CatalogEntry("m5.large", "m5", 2, 8192, "amd64", 0, null, 0.096, null);
    Resources cap = NodeShape.capacity("aws", m5, null, 0.075);
    assertThat(cap.get(Resources.CPU)).isEqualTo(2000);
    assertThat(cap.get(Resources.MEMORY)).isEqualTo((8192 - 615) * MI); // 7.5% rounded up
    assertThat(cap.get(Resources.PODS)).isEqualTo(29);
    Overhead o = NodeShape.overhead(cap);
    assertThat(o.kubeReserved().get(Resources.CPU)).isEqualTo(70);
    assertThat(o.kubeReserved().get(Resources.MEMORY)).isEqualTo((11 * 29 + 255) * MI);
    assertThat(o.evictionThreshold().get(Resources.MEMORY)).isEqualTo(100 * MI);
    assertThat(o.kubeReserved().get(Resources.EPHEMERAL_STORAGE)).isEqualTo(1L << 30);
  }

  @Test
  void maxPodsSettingOverridesTheDefaultAndFeedsMemoryOverhead() {
    CatalogEntry m5 = new CatalogEntry("m5.large", "m5", 2, 8192, "amd64", 0, null, 0.096, null);
    Resources cap = NodeShape.capacity("aws", m5, 110, 0.075);
    assertThat(cap.get(Resources.PODS)).isEqualTo(110);
    assertThat(NodeShape.overhead(cap).kubeReserved().get(Resources.MEMORY))
        .isEqualTo((11 * 110 + 255) * MI);
  }

  @Test
  void defaultPodsByProviderAndSize() {
    assertThat(NodeShape.defaultPods("aws", 2, 512)).isEqualTo(4);
    assertThat(NodeShape.defaultPods("aws", 2, 2048)).isEqualTo(11);
    assertThat(NodeShape.defaultPods("aws", 4, 16384)).isEqualTo(58);
    assertThat(NodeShape.defaultPods("aws", 16, 65536)).isEqualTo(234);
    assertThat(NodeShape.defaultPods("aws", 96, 393216)).isEqualTo(737);
    assertThat(NodeShape.defaultPods("azure", 4, 16384)).isEqualTo(110);
    assertThat(NodeShape.defaultPods("gcp", 2, 1024)).isEqualTo(8);
  }

  @Test
  void gpusBecomeExtendedResourcesByVendor() {
    CatalogEntry p3 =
        new CatalogEntry("p3.8xlarge", "p3", 32, 249856, "amd64", 4, "nvidia", 12.24, null);
    CatalogEntry g4ad =
        new CatalogEntry("g4ad.xlarge", "g4ad", 4, 16384, "amd64", 1, "amd", 0.378, null);
    CatalogEntry dl1 =
        new CatalogEntry("dl1.24xlarge", "dl1", 96, 786432, "amd64", 8, "habana", 13.1, null);
    assertThat(NodeShape.capacity("aws", p3, null, 0.075).get(Resources.NVIDIA_GPU)).isEqualTo(4);
    assertThat(NodeShape.capacity("aws", g4ad, null, 0.075).get(Resources.AMD_GPU)).isEqualTo(1);
    assertThat(NodeShape.capacity("aws", dl1, null, 0.075).get(NodeShape.HABANA_GAUDI))
        .isEqualTo(8);
    assertThat(NodeShape.capacity("aws", dl1, null, 0.075).has(Resources.NVIDIA_GPU)).isFalse();
  }
}
