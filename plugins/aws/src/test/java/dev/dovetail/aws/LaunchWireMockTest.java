package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Resources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.CapacityReservation;
import software.amazon.awssdk.services.ec2.model.DescribeCapacityReservationsResponse;

class LaunchWireMockTest extends AwsWireMockTestBase {
  private static final Pattern OVERRIDE_TYPE =
      Pattern.compile("LaunchTemplateConfigs\\.(\\d+)\\.Overrides\\.\\d+\\.InstanceType");

  private static Requirement arch(String a) {
    return Requirement.in("kubernetes.io/arch", a);
  }

  private static Requirement capacityType(String... cts) {
    return Requirement.in("karpenter.sh/capacity-type", cts);
  }

  private static Set<String> overrideTypes(Map<String, String> fleet) {
    Set<String> out = new LinkedHashSet<>();
    fleet.forEach(
        (k, v) -> {
          if (OVERRIDE_TYPE.matcher(k).matches()) {
            out.add(v);
          }
        });
    return out;
  }

  /** instance type → AMI of the launch template its override sits in. */
  private Map<String, String> amiByOverrideType(Map<String, String> fleet) {
    Map<String, String> amiByTemplate = new HashMap<>();
    for (Map<String, String> lt : ec2Requests("CreateLaunchTemplate")) {
      amiByTemplate.put(lt.get("LaunchTemplateName"), lt.get("LaunchTemplateData.ImageId"));
    }
    Map<String, String> out = new HashMap<>();
    fleet.forEach(
        (k, v) -> {
          Matcher m = OVERRIDE_TYPE.matcher(k);
          if (m.matches()) {
            String lt =
                fleet.get(
                    "LaunchTemplateConfigs."
                        + m.group(1)
                        + ".LaunchTemplateSpecification.LaunchTemplateName");
            out.put(v, amiByTemplate.get(lt));
          }
        });
    return out;
  }

  @Test
  void gravitonOnlyNodePoolGetsArm64TypesAndTheArm64Ami() {
    stubEc2(
        "CreateFleet",
        createFleet(
            List.of(
                fleetInstance(
                    "i-0a1b2c3d4e5f60001",
                    "c6g.large",
                    "us-west-2a",
                    "subnet-0aa11111111111111",
                    "on-demand")),
            List.of()));
    provider.core().pricing().refresh();
    NodeClaimView claim =
        claim("default-g7k2p", al2023NodeClass(), arch("arm64"), capacityType("on-demand"));

    Instance i = provider.create(claim);

    Map<String, String> fleet = ec2Requests("CreateFleet").get(0);
    assertThat(overrideTypes(fleet))
        .containsExactlyInAnyOrder("c6g.large", "m7g.large", "m7g.xlarge", "g5g.xlarge");
    Map<String, String> amis = amiByOverrideType(fleet);
    assertThat(amis)
        .containsEntry("c6g.large", AwsFixtures.AMI_ARM)
        .containsEntry("m7g.large", AwsFixtures.AMI_ARM)
        .containsEntry("g5g.xlarge", AwsFixtures.AMI_ARM_NVIDIA);
    assertThat(fleet)
        .containsEntry("Type", "instant")
        .containsEntry("TargetCapacitySpecification.TotalTargetCapacity", "1")
        .containsEntry("TargetCapacitySpecification.DefaultTargetCapacityType", "on-demand")
        .containsEntry("OnDemandOptions.AllocationStrategy", "lowest-price")
        .hasEntrySatisfying("ClientToken", t -> assertThat(t).startsWith("dovetail-"));
    Map<String, String> instanceTags = tags(fleet, "instance");
    assertThat(instanceTags)
        .containsEntry("kubernetes.io/cluster/demo", "owned")
        .containsEntry("karpenter.sh/nodepool", "default")
        .containsEntry("karpenter.sh/nodeclaim", "default-g7k2p")
        .containsEntry("karpenter.k8s.aws/ec2nodeclass", "default")
        .containsKey("karpenter.k8s.aws/ec2nodeclass-hash");

    assertThat(i.providerId()).isEqualTo("aws:///us-west-2a/i-0a1b2c3d4e5f60001");
    assertThat(i.imageId()).isEqualTo(AwsFixtures.AMI_ARM);
    assertThat(i.capacityType()).isEqualTo("on-demand");
    assertThat(i.labels())
        .containsEntry("kubernetes.io/arch", "arm64")
        .containsEntry("topology.kubernetes.io/zone", "us-west-2a");
    assertThat(i.capacity().get(Resources.CPU)).isEqualTo(2000);
    assertThat(i.allocatable().get(Resources.CPU)).isEqualTo(2000 - 70);

    // The launch template carries the AL2023 user data, IMDSv2 and the resolved groups/profile.
    Map<String, String> lt =
        ec2Requests("CreateLaunchTemplate").stream()
            .filter(r -> AwsFixtures.AMI_ARM.equals(r.get("LaunchTemplateData.ImageId")))
            .findFirst()
            .orElseThrow();
    assertThat(lt.get("LaunchTemplateName")).startsWith("karpenter.k8s.aws/");
    assertThat(lt)
        .containsEntry("LaunchTemplateData.MetadataOptions.HttpTokens", "required")
        .containsEntry("LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit", "1")
        .containsEntry("LaunchTemplateData.SecurityGroupId.1", "sg-0123456789abcdef0")
        .containsEntry("LaunchTemplateData.BlockDeviceMapping.1.DeviceName", "/dev/xvda")
        .containsEntry("LaunchTemplateData.BlockDeviceMapping.1.Ebs.VolumeSize", "20");
    String userData =
        new String(
            Base64.getDecoder().decode(lt.get("LaunchTemplateData.UserData")),
            StandardCharsets.UTF_8);
    assertThat(userData)
        .contains("Content-Type: application/node.eks.aws")
        .contains("kind: \"NodeConfig\"")
        .contains("karpenter.sh/capacity-type=on-demand")
        .contains("karpenter.sh/unregistered");
  }

  private static Map<String, String> tags(Map<String, String> fleet, String resourceType) {
    Map<String, String> out = new HashMap<>();
    for (int n = 1; n < 10; n++) {
      String p = "TagSpecification." + n + ".";
      if (resourceType.equals(fleet.get(p + "ResourceType"))) {
        for (int t = 1; fleet.containsKey(p + "Tag." + t + ".Key"); t++) {
          out.put(fleet.get(p + "Tag." + t + ".Key"), fleet.get(p + "Tag." + t + ".Value"));
        }
      }
    }
    return out;
  }

  @Test
  void gpuPodGetsAGpuTypeAndTheNvidiaAmi() {
    stubEc2(
        "CreateFleet",
        createFleet(
            List.of(
                fleetInstance(
                    "i-0a1b2c3d4e5f60002",
                    "g5.xlarge",
                    "us-west-2b",
                    "subnet-0bb22222222222222",
                    "on-demand")),
            List.of()));
    NodeClaimView base =
        claim("gpu-x8x2k", al2023NodeClass(), arch("amd64"), capacityType("on-demand"));
    NodeClaimView claim = base.withRequests(Resources.of("cpu", 1000L, "nvidia.com/gpu", 1L));

    Instance i = provider.create(claim);

    Map<String, String> fleet = ec2Requests("CreateFleet").get(0);
    assertThat(overrideTypes(fleet)).containsExactly("g5.xlarge");
    assertThat(amiByOverrideType(fleet)).containsEntry("g5.xlarge", AwsFixtures.AMI_X86_NVIDIA);
    assertThat(i.imageId()).isEqualTo(AwsFixtures.AMI_X86_NVIDIA);
    assertThat(i.capacity().get("nvidia.com/gpu")).isEqualTo(1);
    assertThat(i.labels()).containsEntry("karpenter.k8s.aws/instance-gpu-manufacturer", "nvidia");
  }

  @Test
  void spotIceOnTheCheapestTypeMakesTheNextLaunchUseOtherOfferings() {
    provider.core().pricing().refresh();
    wm.stubFor(
        ec2("CreateFleet")
            .inScenario("ice")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("second")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        createFleet(
                            List.of(),
                            List.of(
                                fleetError(
                                    "InsufficientInstanceCapacity",
                                    "t3.medium",
                                    "us-west-2a",
                                    "subnet-0aa11111111111111",
                                    "spot"),
                                fleetError(
                                    "InsufficientInstanceCapacity",
                                    "t3.medium",
                                    "us-west-2b",
                                    "subnet-0bb22222222222222",
                                    "spot"),
                                fleetError(
                                    "InsufficientInstanceCapacity",
                                    "t3.medium",
                                    "us-west-2c",
                                    "subnet-0cc33333333333333",
                                    "spot"))))));
    wm.stubFor(
        ec2("CreateFleet")
            .inScenario("ice")
            .whenScenarioStateIs("second")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        createFleet(
                            List.of(
                                fleetInstance(
                                    "i-0a1b2c3d4e5f60003",
                                    "c6g.large",
                                    "us-west-2a",
                                    "subnet-0aa11111111111111",
                                    "spot")),
                            List.of()))));
    EC2NodeClass nc = al2023NodeClass();

    assertThatThrownBy(() -> provider.create(claim("spot-1", nc, capacityType("spot"))))
        .isInstanceOfSatisfying(
            InsufficientCapacityException.class,
            e ->
                assertThat(e.offerings())
                    .containsExactlyInAnyOrder(
                        new OfferingKey("t3.medium", "us-west-2a", "spot"),
                        new OfferingKey("t3.medium", "us-west-2b", "spot"),
                        new OfferingKey("t3.medium", "us-west-2c", "spot")));
    assertThat(overrideTypes(ec2Requests("CreateFleet").get(0))).contains("t3.medium");
    assertThat(ec2Requests("CreateFleet").get(0))
        .containsEntry("SpotOptions.AllocationStrategy", "price-capacity-optimized");

    // The core sees those offerings unavailable, and the next launch leaves them out.
    InstanceType t3 =
        provider.instanceTypes(null, nc).stream()
            .filter(t -> t.name().equals("t3.medium"))
            .findFirst()
            .orElseThrow();
    assertThat(t3.offerings())
        .filteredOn(o -> o.capacityType().equals("spot"))
        .noneMatch(Offering::available);
    assertThat(t3.offerings())
        .filteredOn(o -> o.capacityType().equals("on-demand"))
        .allMatch(Offering::available);

    Instance i = provider.create(claim("spot-2", nc, capacityType("spot")));
    assertThat(i.instanceType()).isEqualTo("c6g.large");
    assertThat(i.capacityType()).isEqualTo("spot");
    assertThat(overrideTypes(ec2Requests("CreateFleet").get(1)))
        .doesNotContain("t3.medium")
        .isNotEmpty();

    // After the 3-minute TTL the offerings come back.
    clock.advance(Duration.ofMinutes(3).plusSeconds(1));
    InstanceType again =
        provider.instanceTypes(null, nc).stream()
            .filter(t -> t.name().equals("t3.medium"))
            .findFirst()
            .orElseThrow();
    assertThat(again.offerings()).allMatch(Offering::available);
  }

  @Test
  void aFleetPartialErrorStillLaunchesAndMarksTheFailedOffering() {
    stubEc2("CreateFleet", resource("create-fleet-partial.xml"));
    Instance i = provider.create(claim("partial-1", al2023NodeClass(), capacityType("spot")));
    assertThat(i.providerId()).isEqualTo("aws:///us-west-2b/i-0d6a7b8c9e0f12345");
    assertThat(i.instanceType()).isEqualTo("m5.large");
    assertThat(i.capacityType()).isEqualTo("spot");
    var unavailable = provider.core().unavailableOfferings();
    assertThat(unavailable.isUnavailable("t3.medium", "us-west-2a", "spot")).isTrue();
    assertThat(unavailable.isUnavailable("t3.medium", "us-west-2b", "spot")).isFalse();
    assertThat(unavailable.isUnavailable("t3.medium", "us-west-2a", "on-demand")).isFalse();
  }

  @Test
  void spotFallsBackToOnDemandWhenTheClaimAllowsIt() {
    wm.stubFor(
        ec2("CreateFleet")
            .withRequestBody(containing("DefaultTargetCapacityType=spot"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        createFleet(
                            List.of(),
                            List.of(
                                fleetError(
                                    "InsufficientInstanceCapacity",
                                    "t3.medium",
                                    "us-west-2a",
                                    "subnet-0aa11111111111111",
                                    "spot"),
                                fleetError(
                                    "UnfulfillableCapacity",
                                    "c6g.large",
                                    "us-west-2a",
                                    "subnet-0aa11111111111111",
                                    "spot"))))));
    wm.stubFor(
        ec2("CreateFleet")
            .withRequestBody(containing("DefaultTargetCapacityType=on-demand"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        createFleet(
                            List.of(
                                fleetInstance(
                                    "i-0a1b2c3d4e5f60005",
                                    "t3.medium",
                                    "us-west-2a",
                                    "subnet-0aa11111111111111",
                                    "on-demand")),
                            List.of()))));

    Instance i =
        provider.create(claim("fallback-1", al2023NodeClass(), capacityType("spot", "on-demand")));

    List<Map<String, String>> fleets = ec2Requests("CreateFleet");
    assertThat(fleets).hasSize(2);
    assertThat(fleets.get(0))
        .containsEntry("TargetCapacitySpecification.DefaultTargetCapacityType", "spot");
    assertThat(fleets.get(1))
        .containsEntry("TargetCapacitySpecification.DefaultTargetCapacityType", "on-demand")
        .containsEntry("OnDemandOptions.AllocationStrategy", "lowest-price");
    assertThat(i.capacityType()).isEqualTo("on-demand");
    assertThat(i.labels()).containsEntry("karpenter.sh/capacity-type", "on-demand");
  }

  @Test
  void nothingLeaksWhenCreateFleetSucceedsButTheControllerFailsBeforeRecordingIt() {
    stubEc2(
        "CreateFleet",
        createFleet(
            List.of(
                fleetInstance(
                    "i-0feedface0000001",
                    "m5.large",
                    "us-west-2a",
                    "subnet-0aa11111111111111",
                    "on-demand")),
            List.of()));
    EC2NodeClass nc = al2023NodeClass();
    NodeClaimView claim = claim("crashy-1", nc, capacityType("on-demand"), arch("amd64"));

    provider.create(claim); // ... and the controller dies before writing status.providerID

    // EC2 now reports the instance with its ownership tags.
    stubEc2(
        "DescribeInstances",
        describeInstances(
            ec2Instance(
                "i-0feedface0000001",
                "m5.large",
                "us-west-2a",
                AwsFixtures.AMI_X86,
                "crashy-1",
                "running",
                "on-demand")));

    // Garbage collection lists by cluster tag and sees it, with the NodeClaim it belongs to.
    List<Instance> listed = provider.list();
    assertThat(listed)
        .extracting(Instance::providerId)
        .containsExactly("aws:///us-west-2a/i-0feedface0000001");
    assertThat(listed.get(0).nodeClaim()).isEqualTo("crashy-1");
    Map<String, String> listRequest =
        ec2Requests("DescribeInstances").get(ec2Requests("DescribeInstances").size() - 1);
    assertThat(listRequest).containsValue("tag:kubernetes.io/cluster/demo").containsValue("owned");

    // The retried create finds the instance by its NodeClaim tag instead of launching another.
    Instance again = provider.create(claim);
    assertThat(again.providerId()).isEqualTo("aws:///us-west-2a/i-0feedface0000001");
    assertThat(ec2Requests("CreateFleet")).hasSize(1);
    assertThat(ec2Requests("DescribeInstances").get(ec2Requests("DescribeInstances").size() - 1))
        .containsValue("tag:karpenter.sh/nodeclaim")
        .containsValue("crashy-1");
  }

  @Test
  void aRetriedCreateSendsTheSameIdempotencyToken() {
    stubEc2(
        "CreateFleet",
        createFleet(
            List.of(
                fleetInstance(
                    "i-0feedface0000002",
                    "m5.large",
                    "us-west-2a",
                    "subnet-0aa11111111111111",
                    "on-demand")),
            List.of()));
    NodeClaimView claim = claim("token-1", al2023NodeClass(), capacityType("on-demand"));
    provider.create(claim);
    provider.create(claim); // DescribeInstances is eventually consistent: it may not show it yet
    List<Map<String, String>> fleets = ec2Requests("CreateFleet");
    assertThat(fleets).hasSize(2);
    assertThat(fleets.get(0).get("ClientToken"))
        .isEqualTo(fleets.get(1).get("ClientToken"))
        .isNotBlank();
  }

  @Test
  void getListAndDeleteUseDescribeAndTerminateInstances() {
    stubEc2(
        "DescribeInstances",
        describeInstances(
            ec2Instance(
                "i-0123456789abcdef0",
                "m7g.large",
                "us-west-2b",
                AwsFixtures.AMI_ARM,
                "claim-9",
                "running",
                "spot")));
    stubEc2(
        "TerminateInstances",
        Ec2Xml.response(
            "TerminateInstances",
            software.amazon.awssdk.services.ec2.model.TerminateInstancesResponse.builder()
                .terminatingInstances(
                    s ->
                        s.instanceId("i-0123456789abcdef0")
                            .currentState(x -> x.name("shutting-down").code(32))
                            .previousState(x -> x.name("running").code(16)))
                .build()));

    Instance i = provider.get("aws:///us-west-2b/i-0123456789abcdef0");
    assertThat(i.instanceType()).isEqualTo("m7g.large");
    assertThat(i.capacityType()).isEqualTo("spot");
    assertThat(i.nodeClaim()).isEqualTo("claim-9");
    assertThat(i.state()).isEqualTo("running");
    assertThat(i.labels())
        .containsEntry("kubernetes.io/arch", "arm64")
        .containsEntry("karpenter.sh/nodepool", "default");
    assertThat(ec2Requests("DescribeInstances").get(0))
        .containsEntry("InstanceId.1", "i-0123456789abcdef0");

    provider.delete("aws:///us-west-2b/i-0123456789abcdef0");
    assertThat(ec2Requests("TerminateInstances"))
        .singleElement()
        .satisfies(r -> assertThat(r).containsEntry("InstanceId.1", "i-0123456789abcdef0"));

    // Once EC2 reports it terminated, delete and get say NotFound (the core stops calling).
    stubEc2(
        "DescribeInstances",
        describeInstances(
            ec2Instance(
                "i-0123456789abcdef0",
                "m7g.large",
                "us-west-2b",
                AwsFixtures.AMI_ARM,
                "claim-9",
                "terminated",
                "spot")));
    assertThatThrownBy(() -> provider.delete("aws:///us-west-2b/i-0123456789abcdef0"))
        .isInstanceOf(NodeClaimNotFoundException.class);
    stubEc2Error(
        "DescribeInstances",
        400,
        "InvalidInstanceID.NotFound",
        "The instance ID 'i-0123456789abcdef0' does not exist");
    assertThatThrownBy(() -> provider.get("aws:///us-west-2b/i-0123456789abcdef0"))
        .isInstanceOf(NodeClaimNotFoundException.class);
    assertThat(ec2Requests("TerminateInstances")).hasSize(1);
  }

  @Test
  void launchTemplatesAreReusedByNameAndStaleOnesCleanedUp() {
    stubEc2(
        "CreateFleet",
        createFleet(
            List.of(
                fleetInstance(
                    "i-0a1b2c3d4e5f60009",
                    "m5.large",
                    "us-west-2a",
                    "subnet-0aa11111111111111",
                    "on-demand")),
            List.of()));
    stubEc2(
        "DeleteLaunchTemplate",
        Ec2Xml.response(
            "DeleteLaunchTemplate",
            software.amazon.awssdk.services.ec2.model.DeleteLaunchTemplateResponse.builder()
                .build()));
    // One template left from an older NodeClass configuration.
    wm.stubFor(
        ec2("DescribeLaunchTemplates")
            .withRequestBody(containing("Filter.1.Name"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        Ec2Xml.response(
                            "DescribeLaunchTemplates",
                            software.amazon.awssdk.services.ec2.model
                                .DescribeLaunchTemplatesResponse.builder()
                                .launchTemplates(
                                    software.amazon.awssdk.services.ec2.model.LaunchTemplate
                                        .builder()
                                        .launchTemplateName("karpenter.k8s.aws/0000old")
                                        .launchTemplateId("lt-0old")
                                        .tags(
                                            software.amazon.awssdk.services.ec2.model.Tag.builder()
                                                .key("karpenter.k8s.aws/ec2nodeclass-hash")
                                                .value("stale")
                                                .build(),
                                            software.amazon.awssdk.services.ec2.model.Tag.builder()
                                                .key("karpenter.k8s.aws/ami-id")
                                                .value(AwsFixtures.AMI_X86)
                                                .build())
                                        .build())
                                .build()))));
    EC2NodeClass nc = al2023NodeClass();
    provider.create(
        claim(
            "lt-1",
            nc,
            capacityType("on-demand"),
            arch("amd64"),
            Requirement.in("node.kubernetes.io/instance-type", "m5.large")));
    provider.create(
        claim(
            "lt-2",
            nc,
            capacityType("on-demand"),
            arch("amd64"),
            Requirement.in("node.kubernetes.io/instance-type", "m5.large")));

    assertThat(ec2Requests("CreateLaunchTemplate")).hasSize(1);
    assertThat(ec2Requests("DeleteLaunchTemplate"))
        .singleElement()
        .satisfies(
            r -> assertThat(r).containsEntry("LaunchTemplateName", "karpenter.k8s.aws/0000old"));
    Map<String, String> created = ec2Requests("CreateLaunchTemplate").get(0);
    assertThat(tags(created, "launch-template"))
        .containsEntry("karpenter.k8s.aws/cluster", "demo")
        .containsEntry("karpenter.k8s.aws/ami-id", AwsFixtures.AMI_X86);
  }

  @Test
  void reservedCapacityIsOfferedAndUsedFirst() {
    stubEc2(
        "DescribeCapacityReservations",
        Ec2Xml.response(
            "DescribeCapacityReservations",
            DescribeCapacityReservationsResponse.builder()
                .capacityReservations(
                    CapacityReservation.builder()
                        .capacityReservationId("cr-0123456789abcdef0")
                        .instanceType("m5.xlarge")
                        .availabilityZone("us-west-2b")
                        .availabilityZoneId("usw2-az2")
                        .ownerId("123456789012")
                        .instanceMatchCriteria("targeted")
                        .state("active")
                        .totalInstanceCount(4)
                        .availableInstanceCount(3)
                        .instancePlatform("Linux/UNIX")
                        .tenancy("default")
                        .reservationType("default")
                        .build())
                .build()));
    stubEc2(
        "CreateFleet",
        createFleet(
            List.of(
                fleetInstance(
                    "i-0a1b2c3d4e5f6000a",
                    "m5.xlarge",
                    "us-west-2b",
                    "subnet-0bb22222222222222",
                    "on-demand")),
            List.of()));
    EC2NodeClass nc =
        nodeClass(
            """
        apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata: {name: reserved}
        spec:
          role: KarpenterNodeRole-demo
          amiSelectorTerms: [{alias: al2023@latest}]
          subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
          securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
          capacityReservationSelectorTerms: [{id: cr-0123456789abcdef0}]
        """);
    provider.core().pricing().refresh();
    InstanceType m5x =
        provider.instanceTypes(null, nc).stream()
            .filter(t -> t.name().equals("m5.xlarge"))
            .findFirst()
            .orElseThrow();
    Offering reserved =
        m5x.offerings().stream()
            .filter(o -> o.capacityType().equals("reserved"))
            .findFirst()
            .orElseThrow();
    assertThat(reserved.zone()).isEqualTo("us-west-2b");
    assertThat(reserved.reservationId()).isEqualTo("cr-0123456789abcdef0");
    assertThat(reserved.reservationCapacity()).isEqualTo(3);
    assertThat(reserved.price()).isLessThan(0.001);
    assertThat(ec2Requests("DescribeCapacityReservations").get(0))
        .containsEntry("CapacityReservationId.1", "cr-0123456789abcdef0");

    Instance i = provider.create(claim("res-1", nc, capacityType("on-demand", "reserved")));
    assertThat(i.capacityType()).isEqualTo("reserved");
    assertThat(i.labels())
        .containsEntry("karpenter.k8s.aws/capacity-reservation-id", "cr-0123456789abcdef0");
    Map<String, String> fleet = ec2Requests("CreateFleet").get(0);
    assertThat(overrideTypes(fleet)).containsExactly("m5.xlarge");
    assertThat(fleet)
        .containsValue("subnet-0bb22222222222222")
        .containsEntry("TargetCapacitySpecification.DefaultTargetCapacityType", "on-demand");
    assertThat(ec2Requests("CreateLaunchTemplate").get(0))
        .containsEntry(
            "LaunchTemplateData.CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationId",
            "cr-0123456789abcdef0");
  }

  @Test
  void aFullReservationFallsBackToOnDemandAndIsNotOfferedAgainForAWhile() {
    stubEc2(
        "DescribeCapacityReservations",
        Ec2Xml.response(
            "DescribeCapacityReservations",
            DescribeCapacityReservationsResponse.builder()
                .capacityReservations(
                    CapacityReservation.builder()
                        .capacityReservationId("cr-0fedcba9876543210")
                        .instanceType("m5.large")
                        .availabilityZone("us-west-2a")
                        .ownerId("123456789012")
                        .instanceMatchCriteria("targeted")
                        .state("active")
                        .totalInstanceCount(1)
                        .availableInstanceCount(1)
                        .instancePlatform("Linux/UNIX")
                        .tenancy("default")
                        .reservationType("default")
                        .build())
                .build()));
    wm.stubFor(
        ec2("CreateFleet")
            .inScenario("cr")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("od")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        createFleet(
                            List.of(),
                            List.of(
                                fleetError(
                                    "ReservationCapacityExceeded",
                                    "m5.large",
                                    "us-west-2a",
                                    "subnet-0aa11111111111111",
                                    "on-demand"))))));
    wm.stubFor(
        ec2("CreateFleet")
            .inScenario("cr")
            .whenScenarioStateIs("od")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        createFleet(
                            List.of(
                                fleetInstance(
                                    "i-0a1b2c3d4e5f6cccc",
                                    "m5.large",
                                    "us-west-2b",
                                    "subnet-0bb22222222222222",
                                    "on-demand")),
                            List.of()))));
    EC2NodeClass nc =
        nodeClass(
            """
        apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata: {name: reserved-full}
        spec:
          role: KarpenterNodeRole-demo
          amiSelectorTerms: [{alias: al2023@latest}]
          subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
          securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
          capacityReservationSelectorTerms: [{id: cr-0fedcba9876543210}]
        """);

    Instance i =
        provider.create(
            claim(
                "res-full",
                nc,
                capacityType("reserved", "on-demand"),
                Requirement.in("node.kubernetes.io/instance-type", "m5.large")));

    assertThat(i.capacityType()).isEqualTo("on-demand");
    assertThat(i.labels()).doesNotContainKey("karpenter.k8s.aws/capacity-reservation-id");
    assertThat(ec2Requests("CreateFleet")).hasSize(2);
    InstanceType m5 =
        provider.instanceTypes(null, nc).stream()
            .filter(t -> t.name().equals("m5.large"))
            .findFirst()
            .orElseThrow();
    assertThat(m5.offerings())
        .filteredOn(o -> o.capacityType().equals("reserved"))
        .singleElement()
        .satisfies(o -> assertThat(o.available()).isFalse());
  }

  static List<String> keys(Map<String, String> m, String prefix) {
    List<String> out = new ArrayList<>();
    m.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(out::add);
    return out;
  }
}
