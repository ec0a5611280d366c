package dev.dovetail.clusterapi.machine;

import dev.dovetail.cloudprovider.CreateException;

/**
 * CAPI has not finished yet (no free Machine, or the claimed Machine has no providerID): the core
 * retries create, which then finds the reservation or the claimed Machine instead of scaling again.
 */
public class MachinePendingException extends CreateException {
  public MachinePendingException(String reason, String message) {
    super(reason, message);
  }
}
