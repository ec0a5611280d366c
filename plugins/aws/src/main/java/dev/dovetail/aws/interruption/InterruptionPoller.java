package dev.dovetail.aws.interruption;

import dev.dovetail.cloudprovider.InterruptionEvent;
import dev.dovetail.cloudprovider.InterruptionListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Drains the interruption queue: receives EventBridge events from SQS and reports each affected
 * instance of this cluster to the core as an {@link InterruptionEvent}.
 *
 * <p>A message is deleted only once the core's listener returned normally for every event in it
 * (the core has recorded the handling); when the listener or EC2 throws, the message stays and SQS
 * redelivers it after its visibility timeout. Messages that can never become an event (a body that
 * is not an EventBridge event, an instance that is not this cluster's) are logged at WARN, counted
 * and deleted. A spot warning also marks that offering unavailable.
 */
public final class InterruptionPoller {
  private static final Logger LOG = LoggerFactory.getLogger(InterruptionPoller.class);

  private final SqsClient sqs;
  private final String queue;
  private final InterruptionListener listener;
  private final Function<String, Optional<String>> providerIdOf;
  private final BiConsumer<String, String> onSpotInterruption;
  private final int waitSeconds;
  private final Clock clock;
  private volatile String queueUrl;

  private final AtomicLong received = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong unparseable = new AtomicLong();
  private final AtomicLong unknownInstance = new AtomicLong();
  private final AtomicLong handlingFailed = new AtomicLong();
  private final DoubleAdder queueSeconds = new DoubleAdder();
  private final AtomicLong queueCount = new AtomicLong();

  /**
   * @param queue queue name or URL
   * @param listener the core's handler; required (a poller without one would lose messages)
   * @param providerIdOf instance id → providerID, empty when the instance is not this cluster's
   * @param onSpotInterruption called with (instance id, providerID) on a spot warning
   * @param waitSeconds long-poll wait (20 in production, 0 in tests)
   */
  public InterruptionPoller(
      SqsClient sqs,
      String queue,
      InterruptionListener listener,
      Function<String, Optional<String>> providerIdOf,
      BiConsumer<String, String> onSpotInterruption,
      int waitSeconds,
      Clock clock) {
    this.sqs = sqs;
    this.queue = queue;
    this.listener =
        Objects.requireNonNull(listener, "an interruption queue needs the core's listener");
    this.providerIdOf = providerIdOf;
    this.onSpotInterruption = onSpotInterruption;
    this.waitSeconds = waitSeconds;
    this.clock = clock;
  }

  public String queueUrl() {
    if (queueUrl == null) {
      queueUrl =
          queue.startsWith("http://") || queue.startsWith("https://")
              ? queue
              : sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
    }
    return queueUrl;
  }

  /** What the poller has seen since start (see {@link InterruptionMetrics}). */
  public InterruptionMetrics metrics() {
    return new InterruptionMetrics(
        received.get(),
        deleted.get(),
        unparseable.get(),
        unknownInstance.get(),
        handlingFailed.get(),
        queueSeconds.sum(),
        queueCount.get());
  }

  /** Receives one batch (up to 10 messages) and handles it; returns the messages deleted. */
  public int pollOnce() {
    String url = queueUrl();
    ReceiveMessageResponse resp =
        sqs.receiveMessage(
            r ->
                r.queueUrl(url)
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(waitSeconds)
                    .visibilityTimeout(20)
                    .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP));
    int done = 0;
    for (Message m : resp.messages()) {
      received.incrementAndGet();
      if (handle(m)) {
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
        deleted.incrementAndGet();
        done++;
        recordQueueTime(m);
      }
    }
    return done;
  }

  /** Handles one message; true when it may be deleted. */
  private boolean handle(Message m) {
    if (!InterruptionMessages.readable(m.body())) {
      unparseable.incrementAndGet();
      LOG.warn(
          "interruption message {} is not an EventBridge event; deleting it: {}",
          m.messageId(),
          abbreviate(m.body()));
      return true;
    }
    try {
      for (InterruptionMessages.Parsed p : InterruptionMessages.parse(m.body())) {
        Optional<String> providerId = providerIdOf.apply(p.instanceId());
        if (providerId.isEmpty()) {
          unknownInstance.incrementAndGet();
          LOG.warn(
              "interruption message {} is about instance {}, not one of this cluster's",
              m.messageId(),
              p.instanceId());
          continue;
        }
        if (p.kind() == InterruptionEvent.Kind.SPOT_INTERRUPTION) {
          onSpotInterruption.accept(p.instanceId(), providerId.get());
        }
        // Returning normally means the core has recorded the handling; only then may it go.
        listener.onInterruption(
            new InterruptionEvent(p.kind(), providerId.get(), p.deadline(), p.message()));
      }
      return true;
    } catch (RuntimeException e) {
      handlingFailed.incrementAndGet();
      LOG.warn(
          "interruption message {} not handled, kept for redelivery: {}",
          m.messageId(),
          e.toString());
      return false;
    }
  }

  private void recordQueueTime(Message m) {
    String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
    if (sent == null) {
      return;
    }
    try {
      Duration d = Duration.between(Instant.ofEpochMilli(Long.parseLong(sent)), clock.instant());
      queueSeconds.add(Math.max(0, d.toMillis()) / 1000.0);
      queueCount.incrementAndGet();
    } catch (NumberFormatException e) {
      // SQS always sends epoch millis; a stub that does not is not worth failing a message for.
    }
  }

  private static String abbreviate(String body) {
    if (body == null) {
      return "";
    }
    return body.length() <= 200 ? body : body.substring(0, 200) + "…";
  }
}
