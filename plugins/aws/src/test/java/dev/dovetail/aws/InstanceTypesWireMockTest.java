package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceTypesWireMockTest extends AwsWireMockTestBase {
  private static final long MI = 1L << 20;

  private InstanceType type(List<InstanceType> types, String name) {
    return types.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void instanceTypesCarryUpstreamLabelsCapacityAndOverhead() {
    provider.core().pricing().refresh();
    List<InstanceType> types = provider.instanceTypes(null, al2023NodeClass());
    assertThat(types).hasSize(10);

    InstanceType m5 = type(types, "m5.large");
    Map<String, String> labels = m5.requirements().singleValueLabels();
    assertThat(labels)
        .containsEntry("node.kubernetes.io/instance-type", "m5.large")
        .containsEntry("kubernetes.io/arch", "amd64")
        .containsEntry("kubernetes.io/os", "linux")
        .containsEntry("topology.kubernetes.io/region", "us-west-2")
        .containsEntry("karpenter.k8s.aws/instance-category", "m")
        .containsEntry("karpenter.k8s.aws/instance-family", "m5")
        .containsEntry("karpenter.k8s.aws/instance-generation", "5")
        .containsEntry("karpenter.k8s.aws/instance-size", "large")
        .containsEntry("karpenter.k8s.aws/instance-cpu", "2")
        .containsEntry("karpenter.k8s.aws/instance-cpu-manufacturer", "intel")
        .containsEntry("karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz", "3100")
        .containsEntry("karpenter.k8s.aws/instance-memory", "8192")
        .containsEntry("karpenter.k8s.aws/instance-hypervisor", "nitro")
        .containsEntry("karpenter.k8s.aws/instance-encryption-in-transit-supported", "false")
        .containsEntry("karpenter.k8s.aws/instance-ebs-bandwidth", "4750")
        .containsEntry("karpenter.k8s.aws/instance-network-bandwidth", "750")
        .doesNotContainKey("karpenter.k8s.aws/instance-gpu-count");
    assertThat(m5.requirements().get("topology.kubernetes.io/zone").values())
        .containsExactlyInAnyOrderElementsOf(AwsFixtures.ZONES);
    assertThat(m5.requirements().get("topology.k8s.aws/zone-id").values())
        .containsExactlyInAnyOrder("usw2-az1", "usw2-az2", "usw2-az3");

    // Capacity: memory less 7.5% VM overhead; pods = 3 ENIs x (10 - 1) + 2.
    assertThat(m5.capacity().get(Resources.CPU)).isEqualTo(2000);
    assertThat(m5.capacity().get(Resources.MEMORY)).isEqualTo((8192 - 615) * MI);
    assertThat(m5.capacity().get(Resources.PODS)).isEqualTo(29);
    assertThat(m5.capacity().get(Resources.EPHEMERAL_STORAGE)).isEqualTo(20L << 30);
    // Overhead: 6% of the first core + 1% of the second; 11 x pods + 255 MiB; 100Mi + 10% eviction.
    assertThat(m5.overhead().kubeReserved().get(Resources.CPU)).isEqualTo(70);
    assertThat(m5.overhead().kubeReserved().get(Resources.MEMORY)).isEqualTo((11 * 29 + 255) * MI);
    assertThat(m5.overhead().kubeReserved().get(Resources.EPHEMERAL_STORAGE)).isEqualTo(1L << 30);
    assertThat(m5.overhead().evictionThreshold().get(Resources.MEMORY)).isEqualTo(100 * MI);
    assertThat(m5.overhead().evictionThreshold().get(Resources.EPHEMERAL_STORAGE))
        .isEqualTo((long) Math.ceil((20L << 30) / 10.0));

    // Graviton: arm64 and 64 MiB of CMA off before the VM overhead.
    InstanceType c6g = type(types, "c6g.large");
    assertThat(c6g.requirements().singleValueLabels())
        .containsEntry("kubernetes.io/arch", "arm64")
        .containsEntry("karpenter.k8s.aws/instance-cpu-manufacturer", "aws");
    assertThat(c6g.capacity().get(Resources.MEMORY)).isEqualTo((4032 - 303) * MI);

    // t3.medium: 3 ENIs x (6 - 1) + 2 = 17 pods.
    assertThat(type(types, "t3.medium").capacity().get(Resources.PODS)).isEqualTo(17);

    // GPU and Neuron types expose their devices as labels and extended resources.
    InstanceType g5 = type(types, "g5.xlarge");
    assertThat(g5.requirements().singleValueLabels())
        .containsEntry("karpenter.k8s.aws/instance-gpu-name", "a10g")
        .containsEntry("karpenter.k8s.aws/instance-gpu-manufacturer", "nvidia")
        .containsEntry("karpenter.k8s.aws/instance-gpu-count", "1")
        .containsEntry("karpenter.k8s.aws/instance-gpu-memory", "24576");
    assertThat(g5.capacity().get("nvidia.com/gpu")).isEqualTo(1);
    InstanceType inf2 = type(types, "inf2.xlarge");
    assertThat(inf2.requirements().singleValueLabels())
        .containsEntry("karpenter.k8s.aws/instance-accelerator-name", "inferentia2")
        .containsEntry("karpenter.k8s.aws/instance-accelerator-manufacturer", "aws")
        .containsEntry("karpenter.k8s.aws/instance-accelerator-count", "1");
    assertThat(inf2.capacity().get("aws.amazon.com/neuron")).isEqualTo(1);
    assertThat(inf2.capacity().get("aws.amazon.com/neuroncore")).isEqualTo(2);
    // Not offered in us-west-2c (DescribeInstanceTypeOfferings), so no offering there.
    assertThat(inf2.offerings()).extracting(Offering::zone).doesNotContain("us-west-2c");
  }

  @Test
  void offeringsArePricedFromThePricingApiAndSpotHistory() {
    provider.core().pricing().refresh();
    InstanceType m5 = type(provider.instanceTypes(null, al2023NodeClass()), "m5.large");
    assertThat(m5.offerings()).hasSize(6);
    Offering od =
        m5.offerings().stream()
            .filter(o -> o.capacityType().equals("on-demand") && o.zone().equals("us-west-2a"))
            .findFirst()
            .orElseThrow();
    Offering spotA =
        m5.offerings().stream()
            .filter(o -> o.capacityType().equals("spot") && o.zone().equals("us-west-2a"))
            .findFirst()
            .orElseThrow();
    Offering spotB =
        m5.offerings().stream()
            .filter(o -> o.capacityType().equals("spot") && o.zone().equals("us-west-2b"))
            .findFirst()
            .orElseThrow();
    assertThat(od.price()).isEqualTo(0.096);
    assertThat(spotA.price()).isEqualTo(0.036);
    assertThat(spotB.price()).isEqualTo(0.0378);
    assertThat(provider.core().pricing().onDemandSource()).isEqualTo("pricing-api");
    assertThat(jsonRequests("AWSPriceListService.GetProducts").get(0).getBodyAsString())
        .contains("\"ServiceCode\":\"AmazonEC2\"")
        .contains("\"Field\":\"regionCode\"")
        .contains("\"Value\":\"us-west-2\"");
  }

  @Test
  void pricingFallsBackToTheBuiltInCatalogWhenThePricingApiIsDenied() {
    wm.stubFor(
        json("AWSPriceListService.GetProducts")
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(
                        "{\"__type\":\"AccessDeniedException\",\"Message\":\"User is not authorized to perform: pricing:GetProducts\"}")));
    provider.core().pricing().refresh();
    assertThat(provider.core().pricing().onDemandSource()).isEqualTo("catalog");
    InstanceType m5 = type(provider.instanceTypes(null, al2023NodeClass()), "m5.large");
    // The catalog's on-demand list price (us-east-1, same as us-west-2 for m5.large).
    assertThat(
            m5.offerings().stream()
                .filter(o -> o.capacityType().equals("on-demand"))
                .findFirst()
                .orElseThrow()
                .price())
        .isEqualTo(0.096);
    assertThat(m5.offerings()).allMatch(Offering::available);
  }

  @Test
  void nestedVirtualizationKeepsOnlyTypesThatReportIt() {
    List<software.amazon.awssdk.services.ec2.model.InstanceTypeInfo> infos =
        new java.util.ArrayList<>();
    for (var t : AwsFixtures.instanceTypes()) {
      if (t.instanceTypeAsString().equals("c6i.large")) {
        t =
            t.toBuilder()
                .processorInfo(
                    t.processorInfo().toBuilder()
                        .supportedFeaturesWithStrings("amd-sev-snp", "nested-virtualization")
                        .build())
                .build();
      }
      infos.add(t);
    }
    stubEc2(
        "DescribeInstanceTypes",
        Ec2Xml.response(
            "DescribeInstanceTypes",
            software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesResponse.builder()
                .instanceTypes(infos)
                .build()));
    var nc = al2023NodeClass();
    nc.getSpec().cpuOptions = new dev.dovetail.aws.apis.v1.EC2NodeClassSpec.CpuOptions();
    nc.getSpec().cpuOptions.nestedVirtualization = "enabled";
    assertThat(provider.instanceTypes(null, nc))
        .extracting(InstanceType::name)
        .containsExactly("c6i.large");
  }
}
