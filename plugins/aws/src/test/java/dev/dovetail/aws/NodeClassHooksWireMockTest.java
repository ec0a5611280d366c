package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.cloudprovider.NodeClassStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplatesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsResponse;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.Tag;

/** The SPI's NodeClass hooks: the resolved EC2NodeClass status, and the finalizer's cleanup. */
class NodeClassHooksWireMockTest extends AwsWireMockTestBase {

  @Test
  @SuppressWarnings("unchecked")
  void statusCarriesUpstreamsFieldsAndConditions() {
    NodeClassStatus status = provider.nodeClassStatus(al2023NodeClass()).orElseThrow();

    assertThat(status.isReady()).isTrue();
    assertThat(status.conditions())
        .extracting(NodeClassStatus.Condition::type)
        .contains(
            "Ready",
            "SubnetsReady",
            "SecurityGroupsReady",
            "AMIsReady",
            "InstanceProfileReady",
            "ValidationSucceeded",
            "ClusterEndpointReady");
    List<Map<String, Object>> subnets = (List<Map<String, Object>>) status.fields().get("subnets");
    assertThat(subnets)
        .contains(
            Map.of("id", "subnet-0aa11111111111111", "zone", "us-west-2a", "zoneID", "usw2-az1"));
    List<Map<String, Object>> groups =
        (List<Map<String, Object>>) status.fields().get("securityGroups");
    assertThat(groups).extracting(g -> g.get("id")).contains("sg-0123456789abcdef0");
    List<Map<String, Object>> amis = (List<Map<String, Object>>) status.fields().get("amis");
    assertThat(amis)
        .anySatisfy(
            a -> {
              assertThat(a.get("id")).isEqualTo(AwsFixtures.AMI_X86);
              assertThat((List<Map<String, Object>>) a.get("requirements"))
                  .anySatisfy(r -> assertThat(r).containsEntry("key", "kubernetes.io/arch"));
            });
    assertThat(status.fields().get("instanceProfile")).asString().startsWith("demo_");
    assertThat(status.fields()).doesNotContainKey("conditions");
  }

  @Test
  void noSubnetMeansNotReadyWithTheReason() {
    stubEc2(
        "DescribeSubnets",
        Ec2Xml.response("DescribeSubnets", DescribeSubnetsResponse.builder().build()));

    NodeClassStatus status = provider.nodeClassStatus(al2023NodeClass()).orElseThrow();

    assertThat(status.isReady()).isFalse();
    assertThat(status.conditions())
        .filteredOn(c -> c.type().equals("SubnetsReady"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.status()).isFalse();
              assertThat(c.reason()).isEqualTo("SubnetsNotFound");
              assertThat(c.message()).contains("SubnetSelector");
            });
  }

  private void iamOk(String action) {
    wm.stubFor(
        post(urlPathEqualTo("/"))
            .withRequestBody(containing("Action=" + action))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<"
                            + action
                            + "Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                            + "<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE"
                            + "</RequestId></ResponseMetadata></"
                            + action
                            + "Response>")));
  }

  private static LaunchTemplate template(String name) {
    return LaunchTemplate.builder()
        .launchTemplateName(name)
        .launchTemplateId("lt-0" + Integer.toHexString(name.hashCode()))
        .tags(
            Tag.builder().key("karpenter.k8s.aws/cluster").value("demo").build(),
            Tag.builder().key("karpenter.k8s.aws/ec2nodeclass").value("default").build())
        .build();
  }

  @Test
  void finalizeDeletesTheNodeClassTemplatesAndItsInstanceProfile() {
    wm.stubFor(
        ec2("DescribeLaunchTemplates")
            .withRequestBody(containing("Filter.1.Name"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        Ec2Xml.response(
                            "DescribeLaunchTemplates",
                            DescribeLaunchTemplatesResponse.builder()
                                .launchTemplates(
                                    template("karpenter.k8s.aws/aaaa"),
                                    template("karpenter.k8s.aws/bbbb"))
                                .build()))));
    stubEc2(
        "DeleteLaunchTemplate",
        "<DeleteLaunchTemplateResponse xmlns=\""
            + Ec2Xml.NS
            + "\"><requestId>r-1</requestId>"
            + "<launchTemplate><launchTemplateName>x</launchTemplateName></launchTemplate>"
            + "</DeleteLaunchTemplateResponse>");
    iamOk("RemoveRoleFromInstanceProfile");
    iamOk("DeleteInstanceProfile");
    EC2NodeClass nc = al2023NodeClass();
    String profile = provider.core().resolver().resolve(nc).instanceProfile;

    provider.finalizeNodeClass(nc);

    Map<String, String> describe =
        ec2Requests("DescribeLaunchTemplates").stream()
            .filter(f -> f.containsKey("Filter.1.Name"))
            .findFirst()
            .orElseThrow();
    assertThat(describe)
        .containsEntry("Filter.1.Name", "tag:karpenter.k8s.aws/cluster")
        .containsEntry("Filter.1.Value.1", "demo")
        .containsEntry("Filter.2.Name", "tag:karpenter.k8s.aws/ec2nodeclass")
        .containsEntry("Filter.2.Value.1", "default");
    assertThat(ec2Requests("DeleteLaunchTemplate"))
        .extracting(f -> f.get("LaunchTemplateName"))
        .containsExactlyInAnyOrder("karpenter.k8s.aws/aaaa", "karpenter.k8s.aws/bbbb");
    var remove =
        wm.findAll(
            postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=RemoveRoleFromInstanceProfile")));
    assertThat(remove)
        .singleElement()
        .satisfies(
            r ->
                assertThat(form(r.getBodyAsString()))
                    .containsEntry("InstanceProfileName", profile)
                    .containsEntry("RoleName", "KarpenterNodeRole-demo"));
    var delete =
        wm.findAll(
            postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=DeleteInstanceProfile")));
    assertThat(delete)
        .singleElement()
        .satisfies(
            r ->
                assertThat(form(r.getBodyAsString()))
                    .containsEntry("InstanceProfileName", profile)
                    .containsEntry("Version", "2010-05-08"));
  }

  @Test
  void aUsersOwnInstanceProfileIsNotDeleted() {
    EC2NodeClass nc =
        nodeClass(
            """
        apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata: {name: own-profile}
        spec:
          instanceProfile: MyNodeProfile
          amiSelectorTerms: [{alias: al2023@latest}]
          subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
          securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
        """);

    provider.finalizeNodeClass(nc);

    assertThat(
            wm.findAll(
                postRequestedFor(urlPathEqualTo("/"))
                    .withRequestBody(containing("Action=DeleteInstanceProfile"))))
        .isEmpty();
    assertThat(
            wm.findAll(
                postRequestedFor(urlPathEqualTo("/"))
                    .withRequestBody(containing("Action=RemoveRoleFromInstanceProfile"))))
        .isEmpty();
  }
}
