package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.cloudprovider.Requirement;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchTemplateWireMockTest extends AwsWireMockTestBase {

  private Map<String, String> launchWith(EC2NodeClass nc, String type) {
    stubEc2(
        "CreateFleet",
        createFleet(
            List.of(
                fleetInstance(
                    "i-0a1b2c3d4e5f6aaaa",
                    type,
                    "us-west-2a",
                    "subnet-0aa11111111111111",
                    "on-demand")),
            List.of()));
    provider.create(
        claim(
            "lt-" + nc.getMetadata().getName(),
            nc,
            Requirement.in("karpenter.sh/capacity-type", "on-demand"),
            Requirement.in("node.kubernetes.io/instance-type", type)));
    return ec2Requests("CreateLaunchTemplate").get(0);
  }

  @Test
  void launchTemplateCarriesTheNodeClassSettings() {
    EC2NodeClass nc =
        nodeClass(
            """
        apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata: {name: tuned}
        spec:
          role: KarpenterNodeRole-demo
          amiSelectorTerms: [{alias: al2023@latest}]
          subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
          securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
          associatePublicIPAddress: false
          ipPrefixCount: 1
          detailedMonitoring: true
          connectionTracking: {tcpEstablishedTimeout: 120}
          placementGroupSelector: {name: analytics-cluster}
          metadataOptions: {httpPutResponseHopLimit: 2, httpTokens: required}
          tags: {team: data, cost-center: "42"}
          blockDeviceMappings:
            - deviceName: /dev/xvda
              rootVolume: true
              ebs: {volumeSize: 100Gi, volumeType: gp3, iops: 6000, throughput: 250, encrypted: true, kmsKeyID: "arn:aws:kms:us-west-2:123456789012:key/abcd"}
        """);
    Map<String, String> lt = launchWith(nc, "m5.large");

    assertThat(lt)
        .containsEntry("LaunchTemplateData.ImageId", AwsFixtures.AMI_X86)
        .containsEntry("LaunchTemplateData.Monitoring.Enabled", "true")
        .containsEntry("LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit", "2")
        .containsEntry("LaunchTemplateData.MetadataOptions.HttpEndpoint", "enabled")
        .containsEntry("LaunchTemplateData.Placement.GroupName", "analytics-cluster")
        .containsEntry("LaunchTemplateData.BlockDeviceMapping.1.DeviceName", "/dev/xvda")
        .containsEntry("LaunchTemplateData.BlockDeviceMapping.1.Ebs.VolumeSize", "100")
        .containsEntry("LaunchTemplateData.BlockDeviceMapping.1.Ebs.Iops", "6000")
        .containsEntry("LaunchTemplateData.BlockDeviceMapping.1.Ebs.Throughput", "250")
        .containsEntry(
            "LaunchTemplateData.BlockDeviceMapping.1.Ebs.KmsKeyId",
            "arn:aws:kms:us-west-2:123456789012:key/abcd")
        .containsEntry("LaunchTemplateData.NetworkInterface.1.DeviceIndex", "0")
        .containsEntry("LaunchTemplateData.NetworkInterface.1.AssociatePublicIpAddress", "false")
        .containsEntry("LaunchTemplateData.NetworkInterface.1.Ipv4PrefixCount", "1")
        .containsEntry(
            "LaunchTemplateData.NetworkInterface.1.SecurityGroupId.1", "sg-0123456789abcdef0")
        .containsEntry(
            "LaunchTemplateData.NetworkInterface.1.ConnectionTrackingSpecification.TcpEstablishedTimeout",
            "120")
        .doesNotContainKey("LaunchTemplateData.SecurityGroupId.1");
    // Instances and volumes get the user's tags next to the ownership tags.
    Map<String, String> fleet = ec2Requests("CreateFleet").get(0);
    assertThat(fleet).containsValue("team").containsValue("data").containsValue("cost-center");
    // The root volume size is the node's ephemeral storage.
    var m5 =
        provider.instanceTypes(null, nc).stream()
            .filter(t -> t.name().equals("m5.large"))
            .findFirst()
            .orElseThrow();
    assertThat(m5.capacity().get("ephemeral-storage")).isEqualTo(100L << 30);
  }

  @Test
  void bottlerocketGetsItsTwoDefaultVolumesAndTomlUserData() {
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
          userData: |
            [settings.kubernetes]
            kube-api-qps = 30
        """);
    Map<String, String> lt = launchWith(nc, "m7g.large");
    assertThat(lt)
        .containsEntry("LaunchTemplateData.ImageId", AwsFixtures.BR_ARM)
        .containsEntry("LaunchTemplateData.BlockDeviceMapping.1.DeviceName", "/dev/xvda")
        .containsEntry("LaunchTemplateData.BlockDeviceMapping.1.Ebs.VolumeSize", "4")
        .containsEntry("LaunchTemplateData.BlockDeviceMapping.2.DeviceName", "/dev/xvdb")
        .containsEntry("LaunchTemplateData.BlockDeviceMapping.2.Ebs.VolumeSize", "20");
    String toml =
        new String(
            Base64.getDecoder().decode(lt.get("LaunchTemplateData.UserData")),
            StandardCharsets.UTF_8);
    // Read back as TOML (the text layout is the library's; the meaning is what Bottlerocket reads).
    com.fasterxml.jackson.databind.JsonNode k8s;
    try {
      k8s =
          new com.fasterxml.jackson.dataformat.toml.TomlMapper()
              .readTree(toml)
              .path("settings")
              .path("kubernetes");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThat(k8s.path("kube-api-qps").asInt()).isEqualTo(30);
    assertThat(k8s.path("cluster-name").asText()).isEqualTo("demo");
    assertThat(k8s.path("node-labels").path("karpenter.sh/nodepool").asText()).isEqualTo("default");
  }

  @Test
  void aLaunchTemplateDeletedUnderneathTheCacheIsMadeAgain() {
    EC2NodeClass nc = AwsWireMockTestBase.al2023NodeClass();
    launchWith(nc, "m5.large"); // creates and caches the template
    wm.stubFor(
        ec2("CreateFleet")
            .inScenario("lt")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willSetStateTo("ok")
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                    .withStatus(400)
                    .withBody(
                        Ec2Xml.error(
                            "InvalidLaunchTemplateName.NotFoundException",
                            "The specified launch template, with template name karpenter.k8s.aws/x, does not exist."))));
    wm.stubFor(
        ec2("CreateFleet")
            .inScenario("lt")
            .whenScenarioStateIs("ok")
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                    .withStatus(200)
                    .withBody(
                        createFleet(
                            List.of(
                                fleetInstance(
                                    "i-0a1b2c3d4e5f6bbbb",
                                    "m5.large",
                                    "us-west-2a",
                                    "subnet-0aa11111111111111",
                                    "on-demand")),
                            List.of()))));
    var i =
        provider.create(
            claim(
                "lt-again",
                nc,
                Requirement.in("karpenter.sh/capacity-type", "on-demand"),
                Requirement.in("node.kubernetes.io/instance-type", "m5.large")));
    assertThat(i.providerId()).endsWith("i-0a1b2c3d4e5f6bbbb");
    assertThat(ec2Requests("CreateLaunchTemplate")).hasSize(2);
    assertThat(ec2Requests("CreateFleet")).hasSize(3);
  }
}
