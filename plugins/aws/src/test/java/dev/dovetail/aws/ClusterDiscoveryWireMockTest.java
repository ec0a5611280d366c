package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.cloudprovider.NodeClassNotReadyException;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With no clusterEndpoint, clusterCABundle, clusterCIDR or kubernetesVersion settings the plugin
 * asks eks:DescribeCluster (REST: {@code GET /clusters/{name}}), as upstream does; when that gives
 * no endpoint either, the NodeClass is not Ready and nothing is launched.
 */
class ClusterDiscoveryWireMockTest extends AwsWireMockTestBase {
  private static final String CA =
      "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkRJU0NPVkVSRUQKLS0tLS1FTkQ=";

  @Override
  protected Map<String, String> extraSettings() {
    return Map.of(
        "clusterEndpoint", "", "clusterCABundle", "", "clusterCIDR", "", "kubernetesVersion", "");
  }

  private void describeClusterAnswers() {
    wm.stubFor(
        get(urlPathEqualTo("/clusters/demo"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"cluster":{
                          "name":"demo",
                          "arn":"arn:aws:eks:us-west-2:123456789012:cluster/demo",
                          "createdAt":1.700000000E9,
                          "version":"%s",
                          "endpoint":"https://DISCOVERED0123.gr7.us-west-2.eks.amazonaws.com",
                          "roleArn":"arn:aws:iam::123456789012:role/eks-demo",
                          "resourcesVpcConfig":{"subnetIds":["subnet-0aa11111111111111"],"vpcId":"vpc-0123"},
                          "kubernetesNetworkConfig":{"serviceIpv4Cidr":"172.20.0.0/16","ipFamily":"ipv4"},
                          "certificateAuthority":{"data":"%s"},
                          "platformVersion":"eks.12",
                          "status":"ACTIVE"}}
                        """
                            .formatted(AwsFixtures.K8S, CA))));
  }

  @Test
  void endpointCaVersionAndServiceCidrComeFromDescribeCluster() {
    describeClusterAnswers();
    stubEc2(
        "CreateFleet",
        createFleet(
            List.of(
                fleetInstance(
                    "i-0a1b2c3d4e5f6eeee",
                    "m5.large",
                    "us-west-2a",
                    "subnet-0aa11111111111111",
                    "on-demand")),
            List.of()));

    provider.create(
        claim(
            "disc-1",
            al2023NodeClass(),
            Requirement.in(WellKnownLabels.CAPACITY_TYPE, "on-demand"),
            Requirement.in(WellKnownLabels.INSTANCE_TYPE, "m5.large")));

    assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/clusters/demo")))).isNotEmpty();
    String userData =
        new String(
            Base64.getDecoder()
                .decode(
                    ec2Requests("CreateLaunchTemplate").get(0).get("LaunchTemplateData.UserData")),
            StandardCharsets.UTF_8);
    assertThat(userData)
        .contains("apiServerEndpoint: \"https://DISCOVERED0123.gr7.us-west-2.eks.amazonaws.com\"")
        .contains("certificateAuthority: \"" + CA + "\"")
        .contains("cidr: \"172.20.0.0/16\"");
    // The discovered version picks the AMI: the SSM alias path carries it.
    assertThat(jsonRequests("AmazonSSM.GetParameter"))
        .anySatisfy(
            r ->
                assertThat(r.getBodyAsString())
                    .contains("/aws/service/eks/optimized-ami/" + AwsFixtures.K8S + "/"));
    assertThat(provider.core().cluster().current().kubernetesVersion()).isEqualTo(AwsFixtures.K8S);
  }

  @Test
  void noEndpointFromSettingsOrDiscoveryMeansNotReadyAndNoLaunch() {
    wm.stubFor(
        get(urlPathEqualTo("/clusters/demo"))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-amzn-ErrorType", "ResourceNotFoundException")
                    .withBody("{\"message\":\"No cluster found for name: demo.\"}")));
    EC2NodeClass nc = al2023NodeClass();

    assertThatThrownBy(
            () ->
                provider.create(
                    claim(
                        "disc-2", nc, Requirement.in(WellKnownLabels.CAPACITY_TYPE, "on-demand"))))
        .isInstanceOf(NodeClassNotReadyException.class)
        .hasMessageContaining("clusterEndpoint");

    EC2NodeClassStatus status = provider.core().resolver().resolve(nc);
    var cond = status.condition(EC2NodeClassStatus.CLUSTER_ENDPOINT_READY);
    assertThat(cond.getStatus()).isEqualTo("False");
    assertThat(cond.getReason()).isEqualTo("ClusterEndpointUnknown");
    assertThat(cond.getMessage())
        .contains("clusterEndpoint", "eks:DescribeCluster", "No cluster found for name: demo");
    assertThat(status.ready()).isFalse();
    assertThat(ec2Requests("CreateFleet")).isEmpty();
    assertThat(ec2Requests("CreateLaunchTemplate")).isEmpty();
  }
}
