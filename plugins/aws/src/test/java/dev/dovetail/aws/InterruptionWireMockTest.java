package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.dovetail.cloudprovider.InterruptionEvent;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterruptionWireMockTest extends AwsWireMockTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected Map<String, String> extraSettings() {
    return Map.of("interruptionQueue", "demo-interruption");
  }

  private static String md5(String s) throws Exception {
    return String.format(
        "%032x",
        new BigInteger(
            1, MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8))));
  }

  private static String ec2Event(String detailType, String detail) {
    return """
        {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"%s","source":"aws.ec2",
         "account":"123456789012","time":"2025-11-20T12:00:00Z","region":"us-west-2",
         "resources":["arn:aws:ec2:us-west-2a:instance/i-0"],"detail":%s}"""
        .formatted(detailType, detail);
  }

  private void stubInstance(String id, String type, String zone, String state, boolean ours) {
    var i = ec2Instance(id, type, zone, AwsFixtures.AMI_X86, "claim-" + id, state, "spot");
    if (!ours) {
      i =
          i.toBuilder()
              .tags(
                  software.amazon.awssdk.services.ec2.model.Tag.builder()
                      .key("kubernetes.io/cluster/other")
                      .value("owned")
                      .build())
              .build();
    }
    wm.stubFor(
        ec2("DescribeInstances")
            .withRequestBody(containing("InstanceId.1=" + id))
            .willReturn(aResponse().withStatus(200).withBody(describeInstances(i))));
  }

  @Test
  void everyMessageKindBecomesTheRightEventAndEveryMessageIsDeleted() throws Exception {
    stubInstance("i-0spot00000000001", "m5.large", "us-west-2a", "running", true);
    stubInstance("i-0rebal0000000002", "m5.large", "us-west-2b", "running", true);
    stubInstance("i-0stop00000000003", "c6g.large", "us-west-2a", "stopping", true);
    stubInstance("i-0term00000000004", "m5.large", "us-west-2c", "terminated", true);
    stubInstance("i-0health000000005", "m5.xlarge", "us-west-2b", "running", true);
    stubInstance("i-0run000000000006", "m5.large", "us-west-2a", "running", true);
    stubInstance("i-0other0000000007", "m5.large", "us-west-2a", "running", false);
    stubInstance("i-0odcr00000000008", "m5.xlarge", "us-west-2b", "running", true);
    List<String> bodies =
        List.of(
            ec2Event(
                "EC2 Spot Instance Interruption Warning",
                "{\"instance-id\":\"i-0spot00000000001\",\"instance-action\":\"terminate\"}"),
            ec2Event(
                "EC2 Instance Rebalance Recommendation",
                "{\"instance-id\":\"i-0rebal0000000002\"}"),
            ec2Event(
                "EC2 Instance State-change Notification",
                "{\"instance-id\":\"i-0stop00000000003\",\"state\":\"stopping\"}"),
            ec2Event(
                "EC2 Instance State-change Notification",
                "{\"instance-id\":\"i-0term00000000004\",\"state\":\"terminated\"}"),
            """
        {"version":"0","id":"121345678-1234-1234-1234-123456789012","detail-type":"AWS Health Event","source":"aws.health",
         "account":"123456789012","time":"2025-11-20T12:00:00Z","region":"us-west-2","resources":["i-0health000000005"],
         "detail":{"eventArn":"arn:aws:health:us-west-2::event/EC2/EC2_INSTANCE_RETIREMENT_SCHEDULED/EXAMPLE",
           "service":"EC2","eventTypeCode":"AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED","eventTypeCategory":"scheduledChange",
           "startTime":"Mon, 24 Nov 2025 08:00:00 GMT","endTime":"Mon, 24 Nov 2025 09:00:00 GMT",
           "eventDescription":[{"language":"en_US","latestDescription":"EC2 has detected degradation"}],
           "affectedEntities":[{"entityValue":"i-0health000000005"}]}}""",
            ec2Event(
                "EC2 Instance State-change Notification",
                "{\"instance-id\":\"i-0run000000000006\",\"state\":\"running\"}"),
            ec2Event(
                "EC2 Spot Instance Interruption Warning",
                "{\"instance-id\":\"i-0other0000000007\",\"instance-action\":\"terminate\"}"),
            "this is not an event",
            ec2Event(
                "EC2 Capacity Reservation Instance Interruption Warning",
                "{\"instance-id\":\"i-0odcr00000000008\",\"instance-action\":\"terminate\"}"));
    ObjectNode resp = JSON.createObjectNode();
    ArrayNode messages = resp.putArray("Messages");
    for (int n = 0; n < bodies.size(); n++) {
      messages
          .addObject()
          .put("MessageId", "9e1f2a3b-0000-4000-8000-00000000000" + n)
          .put("ReceiptHandle", "rh-" + n)
          .put("MD5OfBody", md5(bodies.get(n)))
          .put("Body", bodies.get(n));
    }
    wm.stubFor(
        json("AmazonSQS.GetQueueUrl")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.0")
                    .withBody(
                        "{\"QueueUrl\":\"https://sqs.us-west-2.amazonaws.com/123456789012/demo-interruption\"}")));
    wm.stubFor(
        json("AmazonSQS.ReceiveMessage")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.0")
                    .withBody(JSON.writeValueAsString(resp))));
    wm.stubFor(
        json("AmazonSQS.DeleteMessage")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.0")
                    .withBody("{}")));

    int handled = provider.interruptionPoller().orElseThrow().pollOnce();

    assertThat(handled).isEqualTo(9);
    assertThat(events)
        .extracting(e -> e.kind() + " " + e.providerId())
        .containsExactly(
            "SPOT_INTERRUPTION aws:///us-west-2a/i-0spot00000000001",
            "REBALANCE_RECOMMENDATION aws:///us-west-2b/i-0rebal0000000002",
            "INSTANCE_STOPPING aws:///us-west-2a/i-0stop00000000003",
            "INSTANCE_TERMINATING aws:///us-west-2c/i-0term00000000004",
            "SCHEDULED_MAINTENANCE aws:///us-west-2b/i-0health000000005",
            "INSTANCE_TERMINATING aws:///us-west-2b/i-0odcr00000000008");
    InterruptionEvent spot = events.get(0);
    assertThat(spot.deadline()).isEqualTo(Instant.parse("2025-11-20T12:02:00Z"));
    assertThat(events.get(4).deadline()).isEqualTo(Instant.parse("2025-11-24T08:00:00Z"));
    assertThat(
            provider.core().unavailableOfferings().isUnavailable("m5.large", "us-west-2a", "spot"))
        .isTrue();

    List<LoggedRequest> deletes = jsonRequests("AmazonSQS.DeleteMessage");
    assertThat(deletes).hasSize(9);
    for (int n = 0; n < 9; n++) {
      String rh = "rh-" + n;
      assertThat(deletes)
          .anySatisfy(
              d ->
                  assertThat(d.getBodyAsString())
                      .contains("\"ReceiptHandle\":\"" + rh + "\"")
                      .contains(
                          "\"QueueUrl\":\"https://sqs.us-west-2.amazonaws.com/123456789012/demo-interruption\""));
    }
    assertThat(jsonRequests("AmazonSQS.ReceiveMessage").get(0).getBodyAsString())
        .contains("\"MaxNumberOfMessages\":10");
  }
}
