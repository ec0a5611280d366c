package dev.dovetail.cloudprovider;

import java.util.Set;

/**
 * Optional extension of a {@link CloudProvider}: the length of a cloud queue (AWS SQS), for
 * Karpenter v0.1's {@code MetricsProducer.spec.queue}. Found by the core with {@code instanceof}; a
 * provider without it, or without the requested type, makes the MetricsProducer report a status
 * condition instead of a metric. Failures are thrown, never read as an empty queue.
 */
public interface QueueMetrics {

  /** The {@code MetricsProducer.spec.queue.type} values this provider handles, e.g. AWSSQSQueue. */
  Set<String> supportedQueueTypes();

  /** Messages waiting in the queue (visible ones, as the cloud approximates them). */
  long length(String type, String id);

  /** Age in seconds of the oldest message, or -1 when the cloud does not report it. */
  default long oldestMessageAgeSeconds(String type, String id) {
    return -1;
  }
}
