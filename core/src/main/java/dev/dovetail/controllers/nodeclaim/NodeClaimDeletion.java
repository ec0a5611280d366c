package dev.dovetail.controllers.nodeclaim;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.kube.EventRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says why a NodeClaim is being deleted, the same way from every controller that deletes one: one
 * log line and one {@code Deleting} event on the NodeClaim naming the reason (Karpenter's
 * disruption reasons where there is one: {@code Empty}, {@code Underutilized}, {@code Drifted},
 * {@code Expired}, {@code Interrupted}, ...) and the controller, so "who removed this node" is
 * answered from the events alone.
 */
public final class NodeClaimDeletion {
  private static final Logger LOG = LoggerFactory.getLogger(NodeClaimDeletion.class);

  /** The Event reason every deletion is recorded under. */
  public static final String EVENT_REASON = "Deleting";

  private NodeClaimDeletion() {}

  /**
   * Records the deletion about to be requested.
   *
   * @param reason the reason, e.g. {@code Underutilized}
   * @param controller the controller deleting it, e.g. {@code disruption}
   * @param detail what a person needs to follow it up (may be empty)
   */
  public static void announce(
      EventRecorder events, NodeClaim claim, String reason, String controller, String detail) {
    String name = claim.getMetadata().getName();
    String message =
        "Deleting NodeClaim: "
            + reason
            + " (by "
            + controller
            + ")"
            + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    LOG.info("deleting NodeClaim {}: reason={} by={} {}", name, reason, controller, detail);
    if (events != null) {
      events.normal(claim, EVENT_REASON, message);
    }
  }
}
