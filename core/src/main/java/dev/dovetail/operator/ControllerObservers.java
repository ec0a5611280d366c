package dev.dovetail.operator;

import dev.dovetail.controllers.ControllerErrors;
import dev.dovetail.controllers.disruption.DisruptionController;
import dev.dovetail.controllers.interruption.InterruptionController;
import dev.dovetail.operator.DovetailOperator.Listeners;
import java.util.Map;

/**
 * The operator's listeners as each controller's observer: when the provisioning listener is the
 * metrics registry, disruption decisions, interruptions, expirations and failed passes are recorded
 * there; otherwise each controller gets its no-op observer.
 */
final class ControllerObservers {
  private final Listeners listeners;

  ControllerObservers(Listeners listeners) {
    this.listeners = listeners;
  }

  /**
   * Expirations counted as disruptions of their reason, and as decisions of the EXPIRATION method.
   */
  dev.dovetail.controllers.nodeclaim.expiration.ExpirationController.Listener expirations() {
    DisruptionController.DecisionListener decisions = decisions();
    return claim -> {
      if (listeners.provisioning() instanceof dev.dovetail.metrics.Metrics metrics) {
        Map<String, String> l =
            claim.getMetadata().getLabels() == null ? Map.of() : claim.getMetadata().getLabels();
        metrics.nodeClaimDisrupted(
            "expired",
            l.getOrDefault(dev.dovetail.cloudprovider.WellKnownLabels.NODE_POOL, ""),
            l.getOrDefault(dev.dovetail.cloudprovider.WellKnownLabels.CAPACITY_TYPE, ""));
      }
      decisions.decided(
          new dev.dovetail.controllers.disruption.model.Command(
              dev.dovetail.controllers.disruption.model.Method.EXPIRATION,
              java.util.List.of(),
              java.util.List.of(),
              0,
              0,
              Map.of()));
    };
  }

  InterruptionController.Observer interruptions() {
    return listeners.provisioning() instanceof dev.dovetail.metrics.Metrics metrics
        ? metrics.interruptions()
        : InterruptionController.Observer.NONE;
  }

  /** Where a periodic controller's failed passes are counted. */
  ControllerErrors errors() {
    return listeners.provisioning() instanceof ControllerErrors errors
        ? errors
        : ControllerErrors.NONE;
  }

  DisruptionController.DecisionListener decisions() {
    if (listeners.provisioning() instanceof dev.dovetail.metrics.Metrics metrics) {
      return new DisruptionController.DecisionListener() {
        @Override
        public void decided(dev.dovetail.controllers.disruption.model.Command cmd) {
          metrics.disruptionDecision(
              cmd.isDelete() ? "delete" : "replace",
              cmd.method().budgetReason().toLowerCase(java.util.Locale.ROOT),
              switch (cmd.method()) {
                case MULTI_NODE_CONSOLIDATION -> "multi";
                case SINGLE_NODE_CONSOLIDATION -> "single";
                case EMPTINESS -> "empty";
                default -> "";
              });
        }

        @Override
        public void deleted(
            dev.dovetail.controllers.disruption.model.Command cmd,
            dev.dovetail.controllers.disruption.model.Candidate c) {
          metrics.nodeClaimDisrupted(
              cmd.method().budgetReason().toLowerCase(java.util.Locale.ROOT),
              c.nodePool(),
              c.capacityType());
        }

        @Override
        public void skipped(String reason) {
          metrics.error("disruption", reason);
        }

        @Override
        public void allowedDisruptions(Map<java.util.List<String>, Integer> byPoolAndReason) {
          metrics.allowedDisruptions(byPoolAndReason);
        }
      };
    }
    return DisruptionController.DecisionListener.NONE;
  }
}
