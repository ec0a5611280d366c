package dev.dovetail.aws.interruption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dovetail.cloudprovider.InterruptionEvent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the EventBridge events Karpenter's interruption queue receives and says what they mean. An
 * event names instances by id only; the caller turns ids into providerIDs.
 */
public final class InterruptionMessages {
  private InterruptionMessages() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One instance affected by an event. */
  public record Parsed(
      InterruptionEvent.Kind kind, String instanceId, Instant deadline, String message) {}

  /**
   * Whether the body is an event this poller can read at all: a JSON EventBridge event (with a
   * {@code source}), or one wrapped in an SNS notification. Other bodies will never parse, so they
   * are counted, logged and deleted rather than redelivered forever.
   */
  public static boolean readable(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return false;
    }
    if (root == null || !root.isObject()) {
      return false;
    }
    if (root.has("Message") && root.path("Type").asText().equals("Notification")) {
      return readable(root.path("Message").asText());
    }
    return root.hasNonNull("source") && root.hasNonNull("detail-type");
  }

  /**
   * The interruptions a message body announces; empty for events that need no action (e.g. an
   * instance becoming running) or bodies that are not EventBridge events.
   */
  public static List<Parsed> parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return List.of();
    }
    if (root == null || !root.isObject()) {
      return List.of();
    }
    // Events forwarded through SNS arrive wrapped: the event is the "Message" string.
    if (root.has("Message") && root.path("Type").asText().equals("Notification")) {
      return parse(root.path("Message").asText());
    }
    String source = root.path("source").asText();
    String detailType = root.path("detail-type").asText();
    JsonNode detail = root.path("detail");
    Instant time = instant(root.path("time").asText(null));
    List<Parsed> out = new ArrayList<>();
    if ("aws.ec2".equals(source)) {
      String id = detail.path("instance-id").asText(null);
      if (id == null) {
        return out;
      }
      switch (detailType) {
        case "EC2 Spot Instance Interruption Warning" ->
            out.add(
                new Parsed(
                    InterruptionEvent.Kind.SPOT_INTERRUPTION,
                    id,
                    time == null ? null : time.plus(Duration.ofMinutes(2)),
                    "spot interruption warning ("
                        + detail.path("instance-action").asText("terminate")
                        + ")"));
        // An interruptible capacity reservation takes its capacity back: the instance goes away
        // like a spot instance, but no spot offering is to blame.
        case "EC2 Capacity Reservation Instance Interruption Warning" ->
            out.add(
                new Parsed(
                    InterruptionEvent.Kind.INSTANCE_TERMINATING,
                    id,
                    time == null ? null : time.plus(Duration.ofMinutes(2)),
                    "capacity reservation interruption warning"));
        case "EC2 Instance Rebalance Recommendation" ->
            out.add(
                new Parsed(
                    InterruptionEvent.Kind.REBALANCE_RECOMMENDATION,
                    id,
                    null,
                    "rebalance recommendation"));
        case "EC2 Instance State-change Notification" -> {
          String state = detail.path("state").asText();
          switch (state) {
            case "stopping", "stopped" ->
                out.add(
                    new Parsed(
                        InterruptionEvent.Kind.INSTANCE_STOPPING, id, time, "instance " + state));
            case "shutting-down", "terminated" ->
                out.add(
                    new Parsed(
                        InterruptionEvent.Kind.INSTANCE_TERMINATING,
                        id,
                        time,
                        "instance " + state));
            default -> {}
          }
        }
        default -> {}
      }
    } else if ("aws.health".equals(source)
        && "EC2".equals(detail.path("service").asText())
        && "scheduledChange".equals(detail.path("eventTypeCategory").asText())) {
      Instant start = instant(detail.path("startTime").asText(null));
      String what = detail.path("eventTypeCode").asText("scheduled change");
      for (JsonNode entity : detail.path("affectedEntities")) {
        String id = entity.path("entityValue").asText(null);
        if (id != null && id.startsWith("i-")) {
          out.add(new Parsed(InterruptionEvent.Kind.SCHEDULED_MAINTENANCE, id, start, what));
        }
      }
    }
    return out;
  }

  private static Instant instant(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return java.time.ZonedDateTime.parse(
                s, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
            .toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
