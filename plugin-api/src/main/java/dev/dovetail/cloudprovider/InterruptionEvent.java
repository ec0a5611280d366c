package dev.dovetail.cloudprovider;

import java.time.Instant;
import java.util.Objects;

/**
 * Something the cloud says will happen, or has happened, to an instance.
 *
 * @param kind what happens
 * @param providerId the affected instance
 * @param deadline when the instance goes away (null when unknown or not applicable)
 * @param message the provider's own description, for events and logs
 */
public record InterruptionEvent(Kind kind, String providerId, Instant deadline, String message) {

  public InterruptionEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(providerId, "providerId");
  }

  public enum Kind {
    /** A spot instance will be reclaimed (AWS gives two minutes). */
    SPOT_INTERRUPTION,
    /** The cloud recommends moving off a spot instance; informational. */
    REBALANCE_RECOMMENDATION,
    /** Scheduled maintenance or retirement. */
    SCHEDULED_MAINTENANCE,
    /** The instance is stopping or stopped. */
    INSTANCE_STOPPING,
    /** The instance is terminating or terminated. */
    INSTANCE_TERMINATING;

    /** Whether the core should cordon, replace and drain the node (all but rebalance). */
    public boolean requiresAction() {
      return this != REBALANCE_RECOMMENDATION;
    }
  }
}
