package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsResponse;

class NodeClassResolutionWireMockTest extends AwsWireMockTestBase {

  @Test
  void al2023AliasResolvesEveryPartAndIsReady() {
    EC2NodeClass nc = al2023NodeClass();
    EC2NodeClassStatus status = provider.core().resolver().resolve(nc);

    assertThat(status.ready()).isTrue();
    assertThat(status.subnets)
        .extracting(s -> s.id + "@" + s.zone + "/" + s.zoneID)
        .containsExactly(
            "subnet-0aa11111111111111@us-west-2a/usw2-az1",
            "subnet-0bb22222222222222@us-west-2b/usw2-az2",
            "subnet-0cc33333333333333@us-west-2c/usw2-az3");
    assertThat(status.securityGroups).extracting(g -> g.id).containsExactly("sg-0123456789abcdef0");
    assertThat(status.instanceProfile).isNotBlank();
    assertThat(status.amis)
        .extracting(a -> a.id)
        .containsExactlyInAnyOrder(
            AwsFixtures.AMI_X86,
            AwsFixtures.AMI_ARM,
            AwsFixtures.AMI_X86_NVIDIA,
            AwsFixtures.AMI_ARM_NVIDIA,
            AwsFixtures.AMI_X86_NEURON);
    EC2NodeClassStatus.Ami armNvidia =
        status.amis.stream()
            .filter(a -> a.id.equals(AwsFixtures.AMI_ARM_NVIDIA))
            .findFirst()
            .orElseThrow();
    assertThat(armNvidia.requirements)
        .extracting(r -> r.getKey() + " " + r.getOperator() + " " + r.getValues())
        .containsExactlyInAnyOrder(
            "kubernetes.io/arch In [arm64]", "karpenter.k8s.aws/instance-gpu-count Exists []");
    EC2NodeClassStatus.Ami x86 =
        status.amis.stream()
            .filter(a -> a.id.equals(AwsFixtures.AMI_X86))
            .findFirst()
            .orElseThrow();
    assertThat(x86.requirements)
        .extracting(r -> r.getKey() + " " + r.getOperator())
        .contains(
            "karpenter.k8s.aws/instance-gpu-count DoesNotExist",
            "karpenter.k8s.aws/instance-accelerator-count DoesNotExist");
    assertThat(status.conditions)
        .extracting(c -> c.getType() + "=" + c.getStatus())
        .contains(
            "SubnetsReady=True",
            "SecurityGroupsReady=True",
            "AMIsReady=True",
            "InstanceProfileReady=True",
            "ValidationSucceeded=True",
            "Ready=True");

    // The subnet selector went out as EC2 tag filters.
    Map<String, String> req = ec2Requests("DescribeSubnets").get(0);
    assertThat(req)
        .containsEntry("Filter.1.Name", "tag:karpenter.sh/discovery")
        .containsEntry("Filter.1.Value.1", "demo");
  }

  @Test
  void selectorsMatchingNothingMakeTheNodeClassNotReadyWithAMessage() {
    stubEc2(
        "DescribeSubnets",
        Ec2Xml.response("DescribeSubnets", DescribeSubnetsResponse.builder().build()));
    EC2NodeClassStatus status = provider.core().resolver().resolve(al2023NodeClass());

    assertThat(status.ready()).isFalse();
    assertThat(status.condition("SubnetsReady").getStatus()).isEqualTo("False");
    assertThat(status.condition("SubnetsReady").getMessage())
        .contains("SubnetSelector did not match any Subnets");
    assertThat(status.condition("Ready").getMessage()).contains("SubnetsReady");
    assertThat(provider.instanceTypes(null, al2023NodeClass())).isEmpty();
  }

  @Test
  void bottlerocketAliasGetsStandardNvidiaAndNeuronVariants() {
    EC2NodeClass nc =
        nodeClass(
            """
            apiVersion: karpenter.k8s.aws/v1
            kind: EC2NodeClass
            metadata: {name: br}
            spec:
              role: KarpenterNodeRole-demo
              amiSelectorTerms: [{alias: bottlerocket@latest}]
              subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
              securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
            """);
    EC2NodeClassStatus status = provider.core().resolver().resolve(nc);
    assertThat(status.ready()).isTrue();
    assertThat(status.amis)
        .extracting(a -> a.id)
        .containsExactlyInAnyOrder(
            AwsFixtures.BR_X86,
            AwsFixtures.BR_X86,
            AwsFixtures.BR_ARM,
            AwsFixtures.BR_X86_NVIDIA,
            AwsFixtures.BR_ARM_NVIDIA);
  }

  @Test
  void ssmAliasLookupsAreCachedAcrossResolutions() {
    provider.core().resolver().resolve(al2023NodeClass());
    int first = jsonRequests("AmazonSSM.GetParameter").size();
    clock.advance(Duration.ofMinutes(2)); // the NodeClass resolution cache (1m) expires
    provider.core().resolver().resolve(al2023NodeClass());
    assertThat(ec2Requests("DescribeSubnets")).hasSize(2);
    assertThat(jsonRequests("AmazonSSM.GetParameter")).hasSize(first);
    assertThat(first).isEqualTo(5);
  }

  @Test
  void amiSelectedByIdWithCustomFamily() {
    stubEc2(
        "DescribeImages",
        AwsFixtures.describeImages(
            AwsFixtures.image(
                "ami-0123456789abcdef0", "my-golden-image", "arm64", "2025-10-01T00:00:00.000Z")));
    EC2NodeClass nc =
        nodeClass(
            """
            apiVersion: karpenter.k8s.aws/v1
            kind: EC2NodeClass
            metadata: {name: custom}
            spec:
              amiFamily: Custom
              instanceProfile: KarpenterNodeInstanceProfile-demo
              amiSelectorTerms: [{id: ami-0123456789abcdef0}]
              subnetSelectorTerms: [{id: subnet-0aa11111111111111}]
              securityGroupSelectorTerms: [{name: eks-cluster-sg-demo}]
            """);
    EC2NodeClassStatus status = provider.core().resolver().resolve(nc);
    assertThat(status.ready()).isTrue();
    assertThat(status.instanceProfile).isEqualTo("KarpenterNodeInstanceProfile-demo");
    assertThat(ec2Requests("DescribeImages").get(0))
        .containsEntry("ImageId.1", "ami-0123456789abcdef0");
    assertThat(ec2Requests("DescribeSecurityGroups").get(0))
        .containsEntry("Filter.1.Name", "group-name");
    // Only arm64 types can boot an arm64-only custom image.
    assertThat(provider.instanceTypes(null, nc))
        .extracting(t -> t.name())
        .containsExactlyInAnyOrder("c6g.large", "m7g.large", "m7g.xlarge", "g5g.xlarge");
    assertThat(jsonRequests("AmazonSSM.GetParameter")).isEmpty();
  }

  @Test
  void windows2022AliasResolvesThroughTheWindowsParameterAndMakesWindowsTypes() {
    stubSsm(
        "/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-EKS_Optimized-1.33/image_id",
        AwsFixtures.WIN2022);
    stubEc2(
        "DescribeImages",
        AwsFixtures.describeImages(
            AwsFixtures.image(
                AwsFixtures.WIN2022,
                "Windows_Server-2022-English-Core-EKS_Optimized-1.33-2025.11.12",
                "x86_64",
                "2025-11-12T00:00:00.000Z")));
    EC2NodeClass nc =
        nodeClass(
            """
            apiVersion: karpenter.k8s.aws/v1
            kind: EC2NodeClass
            metadata: {name: windows}
            spec:
              role: KarpenterNodeRole-demo
              amiSelectorTerms: [{alias: windows2022@latest}]
              subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
              securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
            """);
    EC2NodeClassStatus status = provider.core().resolver().resolve(nc);
    assertThat(status.ready()).isTrue();
    assertThat(status.amis)
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.requirements)
                    .extracting(r -> r.getKey() + " " + r.getValues())
                    .contains(
                        "kubernetes.io/os [windows]",
                        "node.kubernetes.io/windows-build [10.0.20348]",
                        "kubernetes.io/arch [amd64]"));
    var types = provider.instanceTypes(null, nc);
    assertThat(types)
        .isNotEmpty()
        .allSatisfy(
            t ->
                assertThat(t.requirements().singleValueLabels())
                    .containsEntry("kubernetes.io/os", "windows")
                    .containsEntry("kubernetes.io/arch", "amd64"));
    // Windows nodes do not use ENI-limited pod density.
    assertThat(
            types.stream()
                .filter(t -> t.name().equals("m5.large"))
                .findFirst()
                .orElseThrow()
                .capacity()
                .get("pods"))
        .isEqualTo(110);
  }

  @Test
  void aPinnedAl2023AliasAsksSsmForThatRelease() {
    EC2NodeClass nc = al2023NodeClass();
    nc.getSpec().amiSelectorTerms.get(0).alias = "al2023@v20240807";
    stubSsm(
        "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.33-v20240807/image_id",
        AwsFixtures.AMI_X86);
    EC2NodeClassStatus status = provider.core().resolver().resolve(nc);
    assertThat(status.amis).extracting(a -> a.id).containsExactly(AwsFixtures.AMI_X86);
    assertThat(jsonRequests("AmazonSSM.GetParameter"))
        .extracting(r -> r.getBodyAsString())
        .anyMatch(b -> b.contains("amazon-eks-node-al2023-arm64-nvidia-1.33-v20240807"));
  }

  @Test
  void anAl2AliasIsRefusedOnKubernetes133WithAMessage() {
    EC2NodeClass nc = al2023NodeClass();
    nc.getSpec().amiSelectorTerms.get(0).alias = "al2@latest";
    EC2NodeClassStatus status = provider.core().resolver().resolve(nc);
    assertThat(status.ready()).isFalse();
    assertThat(status.condition("AMIsReady").getMessage())
        .contains("al2 aliases are not supported on Kubernetes 1.33");
  }

  @Test
  void aRoleGetsAnInstanceProfileCreatedWithTheRoleAndOwnershipTags() {
    String ns = "https://iam.amazonaws.com/doc/2010-05-08/";
    wm.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/"))
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing(
                    "Action=GetInstanceProfile"))
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<ErrorResponse xmlns=\""
                            + ns
                            + "\"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>"
                            + "<Message>Instance Profile demo_1 cannot be found.</Message></Error><RequestId>4a0f6b2e-0000-4000-8000-000000000001</RequestId></ErrorResponse>")));
    wm.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/"))
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing(
                    "Action=CreateInstanceProfile"))
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<CreateInstanceProfileResponse xmlns=\""
                            + ns
                            + "\"><CreateInstanceProfileResult><InstanceProfile>"
                            + "<InstanceProfileId>AIPAJMBYC7DLSPEXAMPLE</InstanceProfileId><Roles/><InstanceProfileName>demo_1</InstanceProfileName>"
                            + "<Path>/</Path><Arn>arn:aws:iam::123456789012:instance-profile/demo_1</Arn><CreateDate>2025-11-20T12:00:00Z</CreateDate>"
                            + "</InstanceProfile></CreateInstanceProfileResult><ResponseMetadata><RequestId>4a0f6b2e-0000-4000-8000-000000000002</RequestId></ResponseMetadata></CreateInstanceProfileResponse>")));
    wm.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/"))
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing(
                    "Action=AddRoleToInstanceProfile"))
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<AddRoleToInstanceProfileResponse xmlns=\""
                            + ns
                            + "\"><ResponseMetadata><RequestId>4a0f6b2e-0000-4000-8000-000000000003</RequestId></ResponseMetadata></AddRoleToInstanceProfileResponse>")));

    EC2NodeClassStatus status = provider.core().resolver().resolve(al2023NodeClass());

    assertThat(status.condition("InstanceProfileReady").getStatus()).isEqualTo("True");
    assertThat(status.instanceProfile).startsWith("demo_");
    var create =
        wm.findAll(
            com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/"))
                .withRequestBody(
                    com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "Action=CreateInstanceProfile")));
    assertThat(create)
        .singleElement()
        .satisfies(
            r ->
                assertThat(form(r.getBodyAsString()))
                    .containsEntry("InstanceProfileName", status.instanceProfile)
                    .containsValue("kubernetes.io/cluster/demo")
                    .containsValue("karpenter.k8s.aws/ec2nodeclass"));
    // IAM query shape: Tags.member.N.Key / .Value; the tags Karpenter's policy conditions on.
    Map<String, String> createForm = form(create.get(0).getBodyAsString());
    Map<String, String> profileTags = new java.util.HashMap<>();
    for (int n = 1; createForm.containsKey("Tags.member." + n + ".Key"); n++) {
      profileTags.put(
          createForm.get("Tags.member." + n + ".Key"),
          createForm.get("Tags.member." + n + ".Value"));
    }
    assertThat(profileTags)
        .containsEntry("kubernetes.io/cluster/demo", "owned")
        .containsEntry("eks:eks-cluster-name", "demo")
        .containsEntry("topology.kubernetes.io/region", AwsFixtures.REGION)
        .containsEntry("karpenter.k8s.aws/ec2nodeclass", "default");
    var add =
        wm.findAll(
            com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/"))
                .withRequestBody(
                    com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "Action=AddRoleToInstanceProfile")));
    assertThat(add)
        .singleElement()
        .satisfies(
            r ->
                assertThat(form(r.getBodyAsString()))
                    .containsEntry("RoleName", "KarpenterNodeRole-demo")
                    .containsEntry("InstanceProfileName", status.instanceProfile));
  }
}
