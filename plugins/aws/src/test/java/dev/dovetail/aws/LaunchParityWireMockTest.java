package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassRef;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.CapacityReservation;
import software.amazon.awssdk.services.ec2.model.CreateFleetError;
import software.amazon.awssdk.services.ec2.model.DescribeCapacityReservationsResponse;

/**
 * What a real account needs from a launch, as upstream sends it (issue 18, points 2, 4, 5, 6, 7,
 * 8). Form field names follow the EC2 Query API reference of CreateLaunchTemplate and CreateFleet
 * (RequestLaunchTemplateData, LaunchTemplateTagSpecificationRequest,
 * LaunchTemplateCapacityReservationSpecificationRequest, TargetCapacitySpecificationRequest).
 */
class LaunchParityWireMockTest extends AwsWireMockTestBase {

  private static final String LT = "LaunchTemplateData.";

  private static Requirement capacityType(String... cts) {
    return Requirement.in(WellKnownLabels.CAPACITY_TYPE, cts);
  }

  private static NodeClaimView claimFor(
      String name, String nodePool, EC2NodeClass nc, List<Taint> taints, Requirement... reqs) {
    List<Requirement> all = new java.util.ArrayList<>(List.of(reqs));
    all.add(Requirement.in(WellKnownLabels.NODE_POOL, nodePool));
    return new NodeClaimView(
        name,
        nodePool,
        Map.of(WellKnownLabels.NODE_POOL, nodePool),
        Map.of(),
        taints,
        List.of(),
        Requirements.of(all),
        Resources.EMPTY,
        new NodeClassRef("karpenter.k8s.aws", "EC2NodeClass", nc.getMetadata().getName()),
        nc,
        null,
        null);
  }

  private void fleetLaunches(String type, String zone, String subnet, String lifecycle) {
    stubEc2(
        "CreateFleet",
        createFleet(
            List.of(fleetInstance("i-0a1b2c3d4e5f6bbbb", type, zone, subnet, lifecycle)),
            List.of()));
  }

  /** The tags of {@code <prefix>TagSpecification.N} with that resource type. */
  private static Map<String, String> tagsOf(
      Map<String, String> form, String prefix, String resourceType) {
    Map<String, String> out = new HashMap<>();
    for (int n = 1; n < 10; n++) {
      String p = prefix + "TagSpecification." + n + ".";
      if (resourceType.equals(form.get(p + "ResourceType"))) {
        for (int t = 1; form.containsKey(p + "Tag." + t + ".Key"); t++) {
          out.put(form.get(p + "Tag." + t + ".Key"), form.get(p + "Tag." + t + ".Value"));
        }
      }
    }
    return out;
  }

  @Test
  void twoNodePoolsWithDifferentTaintsSharingANodeClassGetDifferentTemplates() {
    fleetLaunches("m5.large", "us-west-2a", "subnet-0aa11111111111111", "on-demand");
    EC2NodeClass nc = al2023NodeClass();
    provider.create(
        claimFor(
            "gpu-a",
            "gpu",
            nc,
            List.of(new Taint("nvidia.com/gpu", "true", "NoSchedule")),
            capacityType("on-demand"),
            Requirement.in(WellKnownLabels.INSTANCE_TYPE, "m5.large")));
    provider.create(
        claimFor(
            "batch-a",
            "batch",
            nc,
            List.of(new Taint("batch", "true", "NoExecute")),
            capacityType("on-demand"),
            Requirement.in(WellKnownLabels.INSTANCE_TYPE, "m5.large")));

    List<Map<String, String>> created = ec2Requests("CreateLaunchTemplate");
    assertThat(created).hasSize(2);
    assertThat(created.get(0).get("LaunchTemplateName"))
        .startsWith("karpenter.k8s.aws/")
        .isNotEqualTo(created.get(1).get("LaunchTemplateName"));
    String gpuUserData = decode(created.get(0).get(LT + "UserData"));
    String batchUserData = decode(created.get(1).get(LT + "UserData"));
    assertThat(gpuUserData)
        .contains("key: \"nvidia.com/gpu\"", "karpenter.sh/nodepool=gpu")
        .doesNotContain("key: \"batch\"");
    assertThat(batchUserData)
        .contains("key: \"batch\"", "karpenter.sh/nodepool=batch")
        .doesNotContain("nvidia.com/gpu");
    // Each fleet launches through its own NodePool's template.
    List<Map<String, String>> fleets = ec2Requests("CreateFleet");
    assertThat(fleets.get(0))
        .containsEntry(
            "LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateName",
            created.get(0).get("LaunchTemplateName"));
    assertThat(fleets.get(1))
        .containsEntry(
            "LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateName",
            created.get(1).get("LaunchTemplateName"));
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  @Test
  void onDemandTemplateAsUpstream() {
    fleetLaunches("m5.large", "us-west-2a", "subnet-0aa11111111111111", "on-demand");
    provider.create(
        claim(
            "od-1",
            al2023NodeClass(),
            capacityType("on-demand"),
            Requirement.in(WellKnownLabels.INSTANCE_TYPE, "m5.large")));
    Map<String, String> lt = ec2Requests("CreateLaunchTemplate").get(0);

    assertThat(lt)
        .containsEntry(LT + "MetadataOptions.InstanceMetadataTags", "disabled")
        .containsEntry(
            LT + "CapacityReservationSpecification.CapacityReservationPreference", "none")
        .doesNotContainKey(
            LT + "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationId")
        .doesNotContainKey(LT + "InstanceMarketOptions.MarketType")
        .containsEntry(LT + "TagSpecification.1.ResourceType", "network-interface")
        .doesNotContainKey(LT + "TagSpecification.2.ResourceType");
    Map<String, String> expectedTags =
        Map.of(
            "kubernetes.io/cluster/demo", "owned",
            "eks:eks-cluster-name", "demo",
            "karpenter.sh/nodepool", "default",
            "karpenter.k8s.aws/ec2nodeclass", "default");
    assertThat(tagsOf(lt, LT, "network-interface")).containsAllEntriesOf(expectedTags);
    // The template itself carries the tags Karpenter's IAM policy conditions on.
    assertThat(tagsOf(lt, "", "launch-template"))
        .containsAllEntriesOf(expectedTags)
        .containsEntry("karpenter.k8s.aws/cluster", "demo");
  }

  @Test
  void spotTemplateTagsSpotRequests() {
    fleetLaunches("m5.large", "us-west-2a", "subnet-0aa11111111111111", "spot");
    provider.create(
        claim(
            "spot-1",
            al2023NodeClass(),
            capacityType("spot"),
            Requirement.in(WellKnownLabels.INSTANCE_TYPE, "m5.large")));
    Map<String, String> lt = ec2Requests("CreateLaunchTemplate").get(0);
    assertThat(lt)
        .containsEntry(
            LT + "CapacityReservationSpecification.CapacityReservationPreference", "none");
    assertThat(tagsOf(lt, LT, "spot-instances-request"))
        .containsEntry("karpenter.sh/nodepool", "default")
        .containsEntry("eks:eks-cluster-name", "demo");
    assertThat(tagsOf(lt, LT, "network-interface"))
        .containsEntry("karpenter.sh/nodepool", "default");
  }

  @Test
  void aFailedLaunchIsRetriedWithANewIdempotencyToken() {
    wm.stubFor(
        ec2("CreateFleet")
            .inScenario("fleet")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml;charset=UTF-8")
                    .withBody(
                        createFleet(
                            List.of(),
                            List.of(
                                CreateFleetError.builder()
                                    .errorCode("InvalidParameterValue")
                                    .errorMessage("Value (ami-0000) for parameter image is invalid")
                                    .lifecycle("on-demand")
                                    .build()))))
            .willSetStateTo("second"));
    wm.stubFor(
        ec2("CreateFleet")
            .inScenario("fleet")
            .whenScenarioStateIs("second")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml;charset=UTF-8")
                    .withBody(
                        createFleet(
                            List.of(
                                fleetInstance(
                                    "i-0a1b2c3d4e5f6cccc",
                                    "m5.large",
                                    "us-west-2a",
                                    "subnet-0aa11111111111111",
                                    "on-demand")),
                            List.of()))));
    NodeClaimView c =
        claim(
            "retry-1",
            al2023NodeClass(),
            capacityType("on-demand"),
            Requirement.in(WellKnownLabels.INSTANCE_TYPE, "m5.large"));

    assertThatThrownBy(() -> provider.create(c)).isInstanceOf(CreateException.class);
    Instance i = provider.create(c);

    assertThat(i.providerId()).endsWith("/i-0a1b2c3d4e5f6cccc");
    List<Map<String, String>> fleets = ec2Requests("CreateFleet");
    assertThat(fleets).hasSize(2);
    String first = fleets.get(0).get("ClientToken");
    String second = fleets.get(1).get("ClientToken");
    assertThat(first).isNotBlank().hasSizeLessThanOrEqualTo(64);
    assertThat(second).isNotBlank().isNotEqualTo(first);
  }

  @Test
  void spotServiceLinkedRoleNotPermittedFallsBackToOnDemand() {
    wm.stubFor(
        ec2("CreateFleet")
            .withRequestBody(containing("DefaultTargetCapacityType=spot"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml;charset=UTF-8")
                    .withBody(
                        createFleet(
                            List.of(),
                            List.of(
                                CreateFleetError.builder()
                                    .errorCode("AuthFailure.ServiceLinkedRoleCreationNotPermitted")
                                    .errorMessage(
                                        "The provided credentials do not have permission to create"
                                            + " the service-linked role for EC2 Spot Instances.")
                                    .lifecycle("spot")
                                    .build())))));
    wm.stubFor(
        ec2("CreateFleet")
            .withRequestBody(containing("DefaultTargetCapacityType=on-demand"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml;charset=UTF-8")
                    .withBody(
                        createFleet(
                            List.of(
                                fleetInstance(
                                    "i-0a1b2c3d4e5f6dddd",
                                    "m5.large",
                                    "us-west-2a",
                                    "subnet-0aa11111111111111",
                                    "on-demand")),
                            List.of()))));
    EC2NodeClass nc = al2023NodeClass();

    Instance i =
        provider.create(
            claim(
                "slr-1",
                nc,
                capacityType("spot", "on-demand"),
                Requirement.in(WellKnownLabels.INSTANCE_TYPE, "m5.large")));

    assertThat(i.capacityType()).isEqualTo("on-demand");
    List<Map<String, String>> fleets = ec2Requests("CreateFleet");
    assertThat(fleets).hasSize(2);
    assertThat(fleets.get(0))
        .containsEntry("TargetCapacitySpecification.DefaultTargetCapacityType", "spot");
    assertThat(fleets.get(1))
        .containsEntry("TargetCapacitySpecification.DefaultTargetCapacityType", "on-demand");
    // Spot stays off for the unavailable-offerings TTL.
    assertThat(
            provider.instanceTypes(null, nc).stream()
                .flatMap(t -> t.offerings().stream())
                .filter(o -> o.capacityType().equals("spot"))
                .noneMatch(o -> o.available()))
        .isTrue();
  }

  @Test
  void capacityBlockLaunchesWithTheCapacityBlockMarketType() {
    stubEc2(
        "DescribeCapacityReservations",
        Ec2Xml.response(
            "DescribeCapacityReservations",
            DescribeCapacityReservationsResponse.builder()
                .capacityReservations(
                    CapacityReservation.builder()
                        .capacityReservationId("cr-0cb0123456789abcd")
                        .instanceType("m5.xlarge")
                        .availabilityZone("us-west-2b")
                        .availabilityZoneId("usw2-az2")
                        .ownerId("123456789012")
                        .instanceMatchCriteria("targeted")
                        .state("active")
                        .totalInstanceCount(2)
                        .availableInstanceCount(2)
                        .instancePlatform("Linux/UNIX")
                        .tenancy("default")
                        .reservationType("capacity-block")
                        .build())
                .build()));
    fleetLaunches("m5.xlarge", "us-west-2b", "subnet-0bb22222222222222", "on-demand");
    EC2NodeClass nc =
        nodeClass(
            """
        apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata: {name: blocks}
        spec:
          role: KarpenterNodeRole-demo
          amiSelectorTerms: [{alias: al2023@latest}]
          subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
          securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
          capacityReservationSelectorTerms: [{id: cr-0cb0123456789abcd}]
        """);
    provider.core().pricing().refresh();

    Instance i = provider.create(claim("cb-1", nc, capacityType("reserved")));

    assertThat(i.capacityType()).isEqualTo("reserved");
    Map<String, String> fleet = ec2Requests("CreateFleet").get(0);
    assertThat(fleet)
        .containsEntry("TargetCapacitySpecification.DefaultTargetCapacityType", "capacity-block")
        .doesNotContainKey("OnDemandOptions.AllocationStrategy")
        .doesNotContainKey("SpotOptions.AllocationStrategy");
    assertThat(ec2Requests("CreateLaunchTemplate").get(0))
        .containsEntry(LT + "InstanceMarketOptions.MarketType", "capacity-block")
        .containsEntry(
            LT + "CapacityReservationSpecification.CapacityReservationPreference",
            "capacity-reservations-only")
        .containsEntry(
            LT + "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationId",
            "cr-0cb0123456789abcd");
  }
}
