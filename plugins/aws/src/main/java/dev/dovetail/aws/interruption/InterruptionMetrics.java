package dev.dovetail.aws.interruption;

/**
 * Counts of the interruption poller since start, for the core's metrics under upstream's names:
 * {@code karpenter_interruption_received_messages_total} ({@link #received}), {@code
 * karpenter_interruption_deleted_messages_total} ({@link #deleted}) and {@code
 * karpenter_interruption_message_queue_duration_seconds} (a summary: {@link
 * #queueDurationSecondsSum} over {@link #queueDurationCount}, from SQS's SentTimestamp to the
 * moment the message was handled). The rest say why a message was not an event for the core.
 *
 * @param received messages received from the queue
 * @param deleted messages deleted after handling (or because they can never be handled)
 * @param unparseable bodies that are not EventBridge events (logged at WARN, deleted)
 * @param unknownInstance events about instances that are not this cluster's (logged, deleted)
 * @param handlingFailed messages kept for redelivery because the core (or EC2) failed
 * @param queueDurationSecondsSum total seconds handled messages spent in the queue
 * @param queueDurationCount messages whose queue time is in the sum
 */
public record InterruptionMetrics(
    long received,
    long deleted,
    long unparseable,
    long unknownInstance,
    long handlingFailed,
    double queueDurationSecondsSum,
    long queueDurationCount) {

  /**
   * The values the core publishes through {@code CloudProvider.metrics()}: deleted messages and the
   * queue-duration summary (received messages are counted by the core itself).
   */
  public java.util.List<dev.dovetail.cloudprovider.ProviderMetric> asProviderMetrics() {
    return java.util.List.of(
        dev.dovetail.cloudprovider.ProviderMetric.counter(
            "karpenter_interruption_deleted_messages_total",
            "Count of messages deleted from the SQS queue.",
            java.util.Map.of(),
            deleted),
        dev.dovetail.cloudprovider.ProviderMetric.summary(
            "karpenter_interruption_message_queue_duration_seconds",
            "Amount of time an interruption message is on the queue before it is processed.",
            java.util.Map.of(),
            queueDurationSecondsSum,
            queueDurationCount));
  }
}
