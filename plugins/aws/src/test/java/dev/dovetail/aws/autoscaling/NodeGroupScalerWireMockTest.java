package dev.dovetail.aws.autoscaling;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.aws.AwsWireMockTestBase;
import dev.dovetail.cloudprovider.CloudProviderException;
import dev.dovetail.cloudprovider.NodeGroupScaler;
import dev.dovetail.cloudprovider.NodeGroupScaler.NodeGroupNotFoundException;
import dev.dovetail.cloudprovider.QueueMetrics;
import org.junit.jupiter.api.Test;

/**
 * The AWS plugin's ScalableNodeGroup and queue extensions with the real SDK clients against
 * WireMock: EC2 Auto Scaling (query/XML), EKS (REST/JSON), SQS (JSON), including a missing group,
 * throttling and a 5xx.
 */
class NodeGroupScalerWireMockTest extends AwsWireMockTestBase {
  static final String ASG_ARN =
      "arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:"
          + "6d7c-4e1a:autoScalingGroupName/workers";
  static final String NG_ARN =
      "arn:aws:eks:us-west-2:1234567890:nodegroup/test-cluster/training-capacity/qwertyuiop";

  static String asgXml(String name, int desired, String... states) {
    StringBuilder instances = new StringBuilder();
    int i = 0;
    for (String s : states) {
      String[] st = s.split("/");
      instances.append(
          "<member><InstanceId>i-0"
              + (i++)
              + "</InstanceId><AvailabilityZone>us-west-2a"
              + "</AvailabilityZone><LifecycleState>"
              + st[0]
              + "</LifecycleState><HealthStatus>"
              + st[1]
              + "</HealthStatus><ProtectedFromScaleIn>false</ProtectedFromScaleIn>"
              + "</member>");
    }
    String group =
        name == null
            ? ""
            : "<member><AutoScalingGroupName>"
                + name
                + "</AutoScalingGroupName><MinSize>0"
                + "</MinSize><MaxSize>10</MaxSize><DesiredCapacity>"
                + desired
                + "</DesiredCapacity><Instances>"
                + instances
                + "</Instances></member>";
    return "<DescribeAutoScalingGroupsResponse"
        + " xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
        + "<DescribeAutoScalingGroupsResult><AutoScalingGroups>"
        + group
        + "</AutoScalingGroups></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>r"
        + "</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>";
  }

  void stubAsg(String name, int desired, String... states) {
    wm.stubFor(
        ec2("DescribeAutoScalingGroups")
            .withRequestBody(containing("AutoScalingGroupNames.member.1=" + name))
            .willReturn(xml(asgXml(name, desired, states))));
  }

  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder xml(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(body);
  }

  @Test
  void theProviderOffersBothExtensions() {
    assertThat(provider).isInstanceOf(NodeGroupScaler.class).isInstanceOf(QueueMetrics.class);
    assertThat(((NodeGroupScaler) provider).supportedNodeGroupTypes())
        .containsExactlyInAnyOrder("AWSEC2AutoScalingGroup", "AWSEKSNodeGroup");
  }

  @Test
  void anAutoScalingGroupReportsHealthyInServiceInstancesAndTakesTheDesiredCapacity() {
    stubAsg("workers", 3, "InService/Healthy", "InService/Unhealthy", "Pending/Healthy");
    wm.stubFor(
        ec2("UpdateAutoScalingGroup")
            .willReturn(
                xml(
                    "<UpdateAutoScalingGroupResponse"
                        + " xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
                        + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
                        + "</UpdateAutoScalingGroupResponse>")));

    assertThat(provider.replicas("AWSEC2AutoScalingGroup", ASG_ARN)).isEqualTo(1);
    provider.setReplicas("AWSEC2AutoScalingGroup", ASG_ARN, 5);

    wm.verify(
        postRequestedFor(urlPathEqualTo("/"))
            .withRequestBody(containing("Action=UpdateAutoScalingGroup"))
            .withRequestBody(containing("AutoScalingGroupName=workers"))
            .withRequestBody(containing("DesiredCapacity=5")));
  }

  @Test
  void aMissingAutoScalingGroupIsNotFoundAndNothingIsWritten() {
    wm.stubFor(ec2("DescribeAutoScalingGroups").willReturn(xml(asgXml(null, 0))));
    assertThatThrownBy(() -> provider.setReplicas("AWSEC2AutoScalingGroup", "nope", 2))
        .isInstanceOf(NodeGroupNotFoundException.class)
        .hasMessageContaining("Auto Scaling group nope not found");
    assertThat(
            wm.findAll(
                postRequestedFor(urlPathEqualTo("/"))
                    .withRequestBody(containing("Action=UpdateAutoScalingGroup"))))
        .isEmpty();
    assertThatThrownBy(
            () -> provider.replicas("AWSEC2AutoScalingGroup", "arn:aws:autoscaling:x:1:other"))
        .isInstanceOf(NodeGroupNotFoundException.class)
        .hasMessageContaining("is not an autoScalingGroup ARN");
  }

  @Test
  void throttlingIsRetriedAndA5xxSurfacesAsAFailureNotAsZero() {
    wm.stubFor(
        ec2("DescribeAutoScalingGroups")
            .inScenario("throttle")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                            + "<Message>Rate exceeded</Message></Error></ErrorResponse>"))
            .willSetStateTo("ok"));
    wm.stubFor(
        ec2("DescribeAutoScalingGroups")
            .inScenario("throttle")
            .whenScenarioStateIs("ok")
            .willReturn(xml(asgXml("workers", 2, "InService/Healthy", "InService/Healthy"))));
    assertThat(provider.replicas("AWSEC2AutoScalingGroup", "workers")).isEqualTo(2);

    wm.resetScenarios();
    wm.stubFor(ec2("DescribeAutoScalingGroups").willReturn(aResponse().withStatus(503)));
    assertThatThrownBy(() -> provider.replicas("AWSEC2AutoScalingGroup", "workers"))
        .isInstanceOf(CloudProviderException.class)
        .isNotInstanceOf(NodeGroupNotFoundException.class);
  }

  @Test
  void anEksNodeGroupCountsItsAutoScalingGroupsAndTakesTheDesiredSize() {
    wm.stubFor(
        get(urlPathEqualTo("/clusters/test-cluster/node-groups/training-capacity"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"nodegroup\":{\"nodegroupName\":\"training-capacity\",\"clusterName\":"
                            + "\"test-cluster\",\"scalingConfig\":{\"minSize\":0,\"maxSize\":9,"
                            + "\"desiredSize\":2},\"resources\":{\"autoScalingGroups\":[{\"name\":"
                            + "\"eks-training-1\"}]}}}")));
    stubAsg("eks-training-1", 2, "InService/Healthy", "InService/Healthy");
    wm.stubFor(
        post(urlPathEqualTo("/clusters/test-cluster/node-groups/training-capacity/update-config"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"update\":{\"id\":\"u-1\",\"status\":\"InProgress\"}}")));

    assertThat(provider.replicas("AWSEKSNodeGroup", NG_ARN)).isEqualTo(2);
    provider.setReplicas("AWSEKSNodeGroup", NG_ARN, 7);

    wm.verify(
        postRequestedFor(
                urlPathEqualTo(
                    "/clusters/test-cluster/node-groups/training-capacity/update-config"))
            .withRequestBody(equalToJson("{\"scalingConfig\":{\"desiredSize\":7}}", true, true)));
  }

  @Test
  void aMissingEksNodeGroupIsNotFound() {
    wm.stubFor(
        get(urlPathEqualTo("/clusters/test-cluster/node-groups/training-capacity"))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-amzn-ErrorType", "ResourceNotFoundException")
                    .withBody(
                        "{\"message\":\"No node group found for name: training-capacity.\"}")));
    assertThatThrownBy(() -> provider.setReplicas("AWSEKSNodeGroup", NG_ARN, 3))
        .isInstanceOf(NodeGroupNotFoundException.class)
        .hasMessageContaining("test-cluster/training-capacity not found");
    assertThatThrownBy(
            () -> provider.replicas("AWSEKSNodeGroup", "arn:aws:eks:us-west-2:1:cluster/x"))
        .isInstanceOf(NodeGroupNotFoundException.class);
  }

  @Test
  void anSqsQueueLengthComesFromApproximateNumberOfMessages() {
    wm.stubFor(
        json("AmazonSQS.GetQueueUrl")
            .withRequestBody(containing("ml-training-queue"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.0")
                    .withBody(
                        "{\"QueueUrl\":\"http://localhost:"
                            + wm.port()
                            + "/1234567890/ml-training-queue\"}")));
    wm.stubFor(
        json("AmazonSQS.GetQueueAttributes")
            .withRequestBody(containing("ApproximateNumberOfMessages"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.0")
                    .withBody("{\"Attributes\":{\"ApproximateNumberOfMessages\":\"42\"}}")));
    assertThat(provider.length("AWSSQSQueue", "arn:aws:sqs:us-west-2:1234567890:ml-training-queue"))
        .isEqualTo(42);
    assertThatThrownBy(() -> provider.length("AzureQueue", "q"))
        .hasMessageContaining("not supported by the aws plugin");
    assertThatThrownBy(() -> provider.length("AWSSQSQueue", "not-an-arn"))
        .hasMessageContaining("invalid SQS queue id");
  }
}
