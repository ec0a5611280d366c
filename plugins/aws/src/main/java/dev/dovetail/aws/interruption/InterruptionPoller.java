package dev.dovetail.aws.interruption;

import dev.dovetail.cloudprovider.InterruptionEvent;
import dev.dovetail.cloudprovider.InterruptionListener;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Drains the interruption queue: receives EventBridge events from SQS, reports each affected
 * instance of this cluster to the core as an {@link InterruptionEvent}, and deletes every message
 * once handled (also ones about instances that are not ours, and ones it cannot read, so they do
 * not come back forever). A spot warning also marks that offering unavailable.
 */
public final class InterruptionPoller {
  private static final Logger LOG = LoggerFactory.getLogger(InterruptionPoller.class);

  private final SqsClient sqs;
  private final String queue;
  private final InterruptionListener listener;
  private final Function<String, Optional<String>> providerIdOf;
  private final BiConsumer<String, String> onSpotInterruption;
  private final int waitSeconds;
  private volatile String queueUrl;

  /**
   * @param queue queue name or URL
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
      int waitSeconds) {
    this.sqs = sqs;
    this.queue = queue;
    this.listener = listener;
    this.providerIdOf = providerIdOf;
    this.onSpotInterruption = onSpotInterruption;
    this.waitSeconds = waitSeconds;
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

  /** Receives one batch (up to 10 messages) and handles it; returns the messages handled. */
  public int pollOnce() {
    String url = queueUrl();
    ReceiveMessageResponse resp =
        sqs.receiveMessage(
            r ->
                r.queueUrl(url)
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(waitSeconds)
                    .visibilityTimeout(20));
    int handled = 0;
    for (Message m : resp.messages()) {
      try {
        for (InterruptionMessages.Parsed p : InterruptionMessages.parse(m.body())) {
          Optional<String> providerId = providerIdOf.apply(p.instanceId());
          if (providerId.isEmpty()) {
            continue;
          }
          if (p.kind() == InterruptionEvent.Kind.SPOT_INTERRUPTION) {
            onSpotInterruption.accept(p.instanceId(), providerId.get());
          }
          listener.onInterruption(
              new InterruptionEvent(p.kind(), providerId.get(), p.deadline(), p.message()));
        }
      } catch (RuntimeException e) {
        LOG.warn("interruption message {} not handled: {}", m.messageId(), e.toString());
        continue; // keep it: it becomes visible again and is retried
      }
      sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
      handled++;
    }
    return handled;
  }
}
