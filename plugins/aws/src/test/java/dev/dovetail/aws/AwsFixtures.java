package dev.dovetail.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.ArchitectureType;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypeOfferingsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsResponse;
import software.amazon.awssdk.services.ec2.model.GpuDeviceInfo;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.InstanceTypeOffering;
import software.amazon.awssdk.services.ec2.model.LocationType;
import software.amazon.awssdk.services.ec2.model.NetworkCardInfo;
import software.amazon.awssdk.services.ec2.model.NeuronDeviceInfo;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * A small, realistic us-west-2 account: instance types with the figures DescribeInstanceTypes
 * reports for them (vCPUs, memory, ENI limits, GPUs, Neuron), three zones, tagged subnets and
 * security groups, and the EKS-optimized AMIs behind the SSM aliases.
 */
public final class AwsFixtures {
  private AwsFixtures() {}

  public static final String REGION = "us-west-2";
  public static final String K8S = "1.33";
  public static final List<String> ZONES = List.of("us-west-2a", "us-west-2b", "us-west-2c");

  public static final String AMI_X86 = "ami-0a1b2c3d4e5f00001";
  public static final String AMI_ARM = "ami-0a1b2c3d4e5f00002";
  public static final String AMI_X86_NVIDIA = "ami-0a1b2c3d4e5f00003";
  public static final String AMI_ARM_NVIDIA = "ami-0a1b2c3d4e5f00004";
  public static final String AMI_X86_NEURON = "ami-0a1b2c3d4e5f00005";
  public static final String BR_X86 = "ami-0b0000000000000a1";
  public static final String BR_ARM = "ami-0b0000000000000a2";
  public static final String BR_X86_NVIDIA = "ami-0b0000000000000a3";
  public static final String BR_ARM_NVIDIA = "ami-0b0000000000000a4";
  public static final String WIN2022 = "ami-0c00000000000w022";

  static InstanceTypeInfo type(
      String name,
      int vcpus,
      long mib,
      String arch,
      String cpuMaker,
      double ghz,
      int enis,
      int ipsPerEni,
      double gbps,
      boolean eit) {
    return InstanceTypeInfo.builder()
        .instanceType(name)
        .currentGeneration(true)
        .freeTierEligible(false)
        .supportedUsageClassesWithStrings("on-demand", "spot")
        .supportedRootDeviceTypesWithStrings("ebs")
        .supportedVirtualizationTypesWithStrings("hvm")
        .bareMetal(false)
        .hypervisor("nitro")
        .processorInfo(
            p ->
                p.supportedArchitectures(ArchitectureType.fromValue(arch))
                    .sustainedClockSpeedInGhz(ghz)
                    .manufacturer(cpuMaker))
        .vCpuInfo(
            v ->
                v.defaultVCpus(vcpus).defaultCores(Math.max(1, vcpus / 2)).defaultThreadsPerCore(2))
        .memoryInfo(m -> m.sizeInMiB(mib))
        .instanceStorageSupported(false)
        .ebsInfo(
            e ->
                e.ebsOptimizedSupport("default")
                    .encryptionSupport("supported")
                    .nvmeSupport("required")
                    .ebsOptimizedInfo(
                        o -> o.baselineBandwidthInMbps(650).maximumBandwidthInMbps(4750)))
        .networkInfo(
            n ->
                n.networkPerformance("Up to 10 Gigabit")
                    .maximumNetworkInterfaces(enis)
                    .maximumNetworkCards(1)
                    .defaultNetworkCardIndex(0)
                    .networkCards(
                        NetworkCardInfo.builder()
                            .networkCardIndex(0)
                            .networkPerformance("Up to 10 Gigabit")
                            .maximumNetworkInterfaces(enis)
                            .baselineBandwidthInGbps(gbps)
                            .peakBandwidthInGbps(10.0)
                            .build())
                    .ipv4AddressesPerInterface(ipsPerEni)
                    .ipv6AddressesPerInterface(ipsPerEni)
                    .ipv6Supported(true)
                    .enaSupport("required")
                    .efaSupported(false)
                    .encryptionInTransitSupported(eit))
        .placementGroupInfo(p -> p.supportedStrategiesWithStrings("cluster", "partition", "spread"))
        .hibernationSupported(false)
        .burstablePerformanceSupported(name.startsWith("t"))
        .dedicatedHostsSupported(true)
        .autoRecoverySupported(true)
        .supportedBootModesWithStrings(
            arch.equals("arm64") ? List.of("uefi") : List.of("legacy-bios", "uefi"))
        .build();
  }

  public static List<InstanceTypeInfo> instanceTypes() {
    List<InstanceTypeInfo> out = new ArrayList<>();
    out.add(type("t3.medium", 2, 4096, "x86_64", "Intel", 2.5, 3, 6, 0.256, false));
    out.add(type("m5.large", 2, 8192, "x86_64", "Intel", 3.1, 3, 10, 0.75, false));
    out.add(type("m5.xlarge", 4, 16384, "x86_64", "Intel", 3.1, 4, 15, 1.25, false));
    out.add(type("c6i.large", 2, 4096, "x86_64", "Intel", 3.5, 3, 10, 0.781, true));
    out.add(type("c6g.large", 2, 4096, "arm64", "AWS", 2.5, 3, 10, 0.75, false));
    out.add(type("m7g.large", 2, 8192, "arm64", "AWS", 2.6, 3, 10, 0.937, true));
    out.add(type("m7g.xlarge", 4, 16384, "arm64", "AWS", 2.6, 4, 15, 1.876, true));
    out.add(
        type("g5.xlarge", 4, 16384, "x86_64", "AMD", 3.3, 4, 15, 2.5, true).toBuilder()
            .gpuInfo(
                g ->
                    g.gpus(
                            GpuDeviceInfo.builder()
                                .name("A10G")
                                .manufacturer("NVIDIA")
                                .count(1)
                                .memoryInfo(m -> m.sizeInMiB(24576))
                                .build())
                        .totalGpuMemoryInMiB(24576))
            .build());
    out.add(
        type("g5g.xlarge", 4, 8192, "arm64", "AWS", 2.5, 4, 15, 1.25, false).toBuilder()
            .gpuInfo(
                g ->
                    g.gpus(
                            GpuDeviceInfo.builder()
                                .name("T4g")
                                .manufacturer("NVIDIA")
                                .count(1)
                                .memoryInfo(m -> m.sizeInMiB(16384))
                                .build())
                        .totalGpuMemoryInMiB(16384))
            .build());
    out.add(
        type("inf2.xlarge", 4, 16384, "x86_64", "AMD", 2.9, 4, 15, 2.083, true).toBuilder()
            .neuronInfo(
                n ->
                    n.neuronDevices(
                            NeuronDeviceInfo.builder()
                                .name("Inferentia2")
                                .count(1)
                                .coreInfo(c -> c.count(2).version(2))
                                .memoryInfo(m -> m.sizeInMiB(32768))
                                .build())
                        .totalNeuronDeviceMemoryInMiB(32768))
            .build());
    return out;
  }

  public static String describeInstanceTypes() {
    return Ec2Xml.response(
        "DescribeInstanceTypes",
        DescribeInstanceTypesResponse.builder().instanceTypes(instanceTypes()).build());
  }

  public static String describeInstanceTypeOfferings() {
    List<InstanceTypeOffering> offerings = new ArrayList<>();
    for (InstanceTypeInfo t : instanceTypes()) {
      for (String z : ZONES) {
        // Like the real region: GPUs and Inferentia are not offered in every zone.
        if ((t.instanceTypeAsString().startsWith("g5g")
                || t.instanceTypeAsString().startsWith("inf2"))
            && z.endsWith("c")) {
          continue;
        }
        offerings.add(
            InstanceTypeOffering.builder()
                .instanceType(t.instanceType())
                .locationType(LocationType.AVAILABILITY_ZONE)
                .location(z)
                .build());
      }
    }
    return Ec2Xml.response(
        "DescribeInstanceTypeOfferings",
        DescribeInstanceTypeOfferingsResponse.builder().instanceTypeOfferings(offerings).build());
  }

  public static Subnet subnet(String id, String zone, String zoneId, int free) {
    return Subnet.builder()
        .subnetId(id)
        .availabilityZone(zone)
        .availabilityZoneId(zoneId)
        .availableIpAddressCount(free)
        .cidrBlock("10.0." + (free % 250) + ".0/24")
        .vpcId("vpc-0f1e2d3c4b5a69788")
        .state("available")
        .mapPublicIpOnLaunch(false)
        .defaultForAz(false)
        .ownerId("123456789012")
        .subnetArn("arn:aws:ec2:us-west-2:123456789012:subnet/" + id)
        .tags(
            Tag.builder().key("karpenter.sh/discovery").value("demo").build(),
            Tag.builder().key("Name").value("demo-private-" + zone).build())
        .build();
  }

  public static String describeSubnets() {
    return Ec2Xml.response(
        "DescribeSubnets",
        DescribeSubnetsResponse.builder()
            .subnets(
                subnet("subnet-0aa11111111111111", "us-west-2a", "usw2-az1", 4000),
                subnet("subnet-0bb22222222222222", "us-west-2b", "usw2-az2", 3000),
                subnet("subnet-0cc33333333333333", "us-west-2c", "usw2-az3", 2000))
            .build());
  }

  public static String describeSecurityGroups() {
    return Ec2Xml.response(
        "DescribeSecurityGroups",
        DescribeSecurityGroupsResponse.builder()
            .securityGroups(
                SecurityGroup.builder()
                    .groupId("sg-0123456789abcdef0")
                    .groupName("eks-cluster-sg-demo")
                    .description("EKS created security group")
                    .vpcId("vpc-0f1e2d3c4b5a69788")
                    .ownerId("123456789012")
                    .tags(Tag.builder().key("karpenter.sh/discovery").value("demo").build())
                    .build())
            .build());
  }

  public static Image image(String id, String name, String arch, String created) {
    return Image.builder()
        .imageId(id)
        .name(name)
        .architecture(arch)
        .creationDate(created)
        .state("available")
        .ownerId("602401143452")
        .imageOwnerAlias("amazon")
        .rootDeviceType("ebs")
        .rootDeviceName("/dev/xvda")
        .virtualizationType("hvm")
        .hypervisor("xen")
        .enaSupport(true)
        .publicLaunchPermissions(true)
        .imageType("machine")
        .build();
  }

  public static String describeImages(Image... images) {
    return Ec2Xml.response(
        "DescribeImages", DescribeImagesResponse.builder().images(images).build());
  }

  /** The AL2023 images behind the SSM aliases. */
  public static Image[] al2023Images() {
    return new Image[] {
      image(
          AMI_X86,
          "amazon-eks-node-al2023-x86_64-standard-1.33-v20251103",
          "x86_64",
          "2025-11-03T18:20:11.000Z"),
      image(
          AMI_ARM,
          "amazon-eks-node-al2023-arm64-standard-1.33-v20251103",
          "arm64",
          "2025-11-03T18:21:02.000Z"),
      image(
          AMI_X86_NVIDIA,
          "amazon-eks-node-al2023-x86_64-nvidia-1.33-v20251103",
          "x86_64",
          "2025-11-03T18:40:55.000Z"),
      image(
          AMI_ARM_NVIDIA,
          "amazon-eks-node-al2023-arm64-nvidia-1.33-v20251103",
          "arm64",
          "2025-11-03T18:41:30.000Z"),
      image(
          AMI_X86_NEURON,
          "amazon-eks-node-al2023-x86_64-neuron-1.33-v20251103",
          "x86_64",
          "2025-11-03T18:45:12.000Z"),
    };
  }

  public static Image[] bottlerocketImages() {
    return new Image[] {
      image(
          BR_X86,
          "bottlerocket-aws-k8s-1.33-x86_64-v1.50.0-1a2b3c4d",
          "x86_64",
          "2025-11-01T10:00:00.000Z"),
      image(
          BR_ARM,
          "bottlerocket-aws-k8s-1.33-aarch64-v1.50.0-1a2b3c4d",
          "arm64",
          "2025-11-01T10:00:00.000Z"),
      image(
          BR_X86_NVIDIA,
          "bottlerocket-aws-k8s-1.33-nvidia-x86_64-v1.50.0-1a2b3c4d",
          "x86_64",
          "2025-11-01T10:00:00.000Z"),
      image(
          BR_ARM_NVIDIA,
          "bottlerocket-aws-k8s-1.33-nvidia-aarch64-v1.50.0-1a2b3c4d",
          "arm64",
          "2025-11-01T10:00:00.000Z"),
    };
  }
}
