package dev.dovetail.controllers.node.termination;

import java.time.Duration;

/**
 * What node termination reports as it goes (Karpenter's {@code karpenter_nodes_drained_total},
 * {@code karpenter_nodes_eviction_requests_total} and {@code
 * karpenter_nodes_termination_duration_seconds}); every method defaults to nothing.
 */
public interface TerminationObserver {
  /** A node of {@code nodePool} finished draining (its Drained condition turned true). */
  default void nodeDrained(String nodePool) {}

  /**
   * The Eviction API answered a request with this HTTP status code (200 evicted, 429 refused by a
   * budget, 404 already gone, other codes failures).
   */
  default void evictionRequested(int code) {}

  /**
   * A node of {@code nodePool} is fully terminated, {@code took} after its NodeClaim's deletion
   * timestamp.
   */
  default void nodeTerminated(String nodePool, Duration took) {}

  TerminationObserver NONE = new TerminationObserver() {};
}
