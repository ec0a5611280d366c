package dev.dovetail.cloudprovider;

import java.util.List;

/**
 * The cloud has no capacity for the offerings named. The core marks them unavailable for a while
 * and re-plans the NodeClaim's pods on other offerings.
 */
public class InsufficientCapacityException extends CloudProviderException {
  private final List<OfferingKey> offerings;

  public InsufficientCapacityException(String message, List<OfferingKey> offerings) {
    super(message);
    this.offerings = List.copyOf(offerings);
  }

  /** The offerings that failed (may be empty when the cloud did not say). */
  public List<OfferingKey> offerings() {
    return offerings;
  }
}
