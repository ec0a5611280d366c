package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dovetail.aws.interruption.InterruptionMetrics;
import dev.dovetail.aws.interruption.InterruptionPoller;
import dev.dovetail.cloudprovider.InterruptionListener;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Interruption messages are deleted only after the core's listener returned normally; a listener
 * that throws leaves the message for SQS to redeliver. Bodies that are not events and instances of
 * other clusters are counted (and deleted: they can never be handled).
 */
class InterruptionSafetyWireMockTest extends AwsWireMockTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUEUE_URL =
      "https://sqs.us-west-2.amazonaws.com/123456789012/demo-interruption";
  private final AtomicBoolean coreFails = new AtomicBoolean();

  @Override
  protected Map<String, String> extraSettings() {
    return Map.of("interruptionQueue", QUEUE_URL);
  }

  @Override
  protected InterruptionListener listener() {
    return e -> {
      if (coreFails.get()) {
        throw new IllegalStateException("API server unavailable: could not cordon the node");
      }
      events.add(e);
    };
  }

  private static String md5(String s) throws Exception {
    return String.format(
        "%032x",
        new BigInteger(
            1, MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8))));
  }

  private static String spotWarning(String instanceId) {
    return """
        {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602",\
        "detail-type":"EC2 Spot Instance Interruption Warning","source":"aws.ec2",\
        "account":"123456789012","time":"2025-11-20T12:00:00Z","region":"us-west-2",\
        "resources":["arn:aws:ec2:us-west-2a:instance/%s"],\
        "detail":{"instance-id":"%s","instance-action":"terminate"}}"""
        .formatted(instanceId, instanceId);
  }

  private void queueHolds(List<String> bodies, long sentMillis) throws Exception {
    ObjectNode resp = JSON.createObjectNode();
    ArrayNode messages = resp.putArray("Messages");
    for (int n = 0; n < bodies.size(); n++) {
      ObjectNode m =
          messages
              .addObject()
              .put("MessageId", "0f0e0d0c-0000-4000-8000-00000000000" + n)
              .put("ReceiptHandle", "rh-" + n)
              .put("MD5OfBody", md5(bodies.get(n)))
              .put("Body", bodies.get(n));
      m.putObject("Attributes").put("SentTimestamp", Long.toString(sentMillis));
    }
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
  }

  private void ourInstance(String id) {
    wm.stubFor(
        ec2("DescribeInstances")
            .withRequestBody(containing("InstanceId.1=" + id))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        describeInstances(
                            ec2Instance(
                                id,
                                "m5.large",
                                "us-west-2a",
                                AwsFixtures.AMI_X86,
                                "claim-" + id,
                                "running",
                                "spot")))));
  }

  @Test
  void aMessageIsDeletedOnlyAfterTheCoreHandledIt() throws Exception {
    ourInstance("i-0spot0000000000a");
    queueHolds(List.of(spotWarning("i-0spot0000000000a")), 0);
    InterruptionPoller poller = provider.interruptionPoller().orElseThrow();

    coreFails.set(true);
    assertThat(poller.pollOnce()).isZero();
    assertThat(jsonRequests("AmazonSQS.DeleteMessage")).isEmpty();
    assertThat(poller.metrics().handlingFailed()).isEqualTo(1);

    // Redelivered after the visibility timeout; the core is back.
    coreFails.set(false);
    assertThat(poller.pollOnce()).isEqualTo(1);
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> assertThat(e.providerId()).isEqualTo("aws:///us-west-2a/i-0spot0000000000a"));
    assertThat(jsonRequests("AmazonSQS.DeleteMessage"))
        .singleElement()
        .satisfies(
            d ->
                assertThat(JSON.readTree(d.getBodyAsString()))
                    .isEqualTo(
                        JSON.readTree(
                            "{\"QueueUrl\":\"" + QUEUE_URL + "\",\"ReceiptHandle\":\"rh-0\"}")));
    // The receive asked SQS for the sent time (queue duration metric).
    com.fasterxml.jackson.databind.JsonNode receive =
        JSON.readTree(jsonRequests("AmazonSQS.ReceiveMessage").get(0).getBodyAsString());
    assertThat(receive.path("QueueUrl").asText()).isEqualTo(QUEUE_URL);
    assertThat(receive.path("MaxNumberOfMessages").asInt()).isEqualTo(10);
    assertThat(receive.path("MessageSystemAttributeNames").toString()).contains("SentTimestamp");
  }

  @Test
  void unreadableBodiesAndOtherClustersInstancesAreCountedAndDeleted() throws Exception {
    ourInstance("i-0spot0000000000b");
    wm.stubFor(
        ec2("DescribeInstances")
            .withRequestBody(containing("InstanceId.1=i-0other000000000c"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        describeInstances(
                            ec2Instance(
                                    "i-0other000000000c",
                                    "m5.large",
                                    "us-west-2a",
                                    AwsFixtures.AMI_X86,
                                    null,
                                    "running",
                                    "spot")
                                .toBuilder()
                                .tags(
                                    software.amazon.awssdk.services.ec2.model.Tag.builder()
                                        .key("kubernetes.io/cluster/other")
                                        .value("owned")
                                        .build())
                                .build()))));
    // Sent 90 s before the test clock's now.
    long sent = clock.instant().minusSeconds(90).toEpochMilli();
    queueHolds(
        List.of(spotWarning("i-0spot0000000000b"), "{not json", spotWarning("i-0other000000000c")),
        sent);

    int deleted = provider.interruptionPoller().orElseThrow().pollOnce();

    assertThat(deleted).isEqualTo(3);
    assertThat(events).hasSize(1);
    InterruptionMetrics m = provider.interruptionPoller().orElseThrow().metrics();
    assertThat(m.received()).isEqualTo(3);
    assertThat(m.deleted()).isEqualTo(3);
    assertThat(m.unparseable()).isEqualTo(1);
    assertThat(m.unknownInstance()).isEqualTo(1);
    assertThat(m.handlingFailed()).isZero();
    assertThat(m.queueDurationCount()).isEqualTo(3);
    assertThat(m.queueDurationSecondsSum()).isEqualTo(270.0);
    // What the core publishes through the SPI's metrics hook.
    Map<String, dev.dovetail.cloudprovider.ProviderMetric> byName = new java.util.HashMap<>();
    provider.metrics().forEach(pm -> byName.put(pm.name(), pm));
    assertThat(byName).doesNotContainKey("karpenter_interruption_received_messages_total");
    assertThat(byName.get("karpenter_interruption_deleted_messages_total").value()).isEqualTo(3.0);
    dev.dovetail.cloudprovider.ProviderMetric queued =
        byName.get("karpenter_interruption_message_queue_duration_seconds");
    assertThat(queued.type()).isEqualTo(dev.dovetail.cloudprovider.ProviderMetric.Type.SUMMARY);
    assertThat(queued.value()).isEqualTo(270.0);
    assertThat(queued.count()).isEqualTo(3);
  }
}
