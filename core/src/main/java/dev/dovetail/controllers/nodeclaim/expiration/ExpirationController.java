package dev.dovetail.controllers.nodeclaim.expiration;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.kube.Durations;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's nodeclaim/expiration controller: a NodeClaim older than its {@code spec.expireAfter}
 * is deleted, forcefully and outside disruption budgets (termination then drains it, bounded by
 * {@code terminationGracePeriod}). A NodeClaim already being deleted, or with {@code expireAfter:
 * Never}, is left alone.
 */
public final class ExpirationController {
  private static final Logger LOG = LoggerFactory.getLogger(ExpirationController.class);

  /**
   * @param enabled whether the controller runs at all
   * @param pollInterval how often NodeClaims are checked
   */
  public record Options(boolean enabled, Duration pollInterval) {
    public static final Options DEFAULT = new Options(true, Duration.ofSeconds(10));
  }

  /** Observes expirations (metrics). */
  public interface Listener {
    void expired(NodeClaim claim);

    Listener NONE = c -> {};
  }

  private final KubernetesClient client;
  private final ClusterState state;
  private final EventRecorder events;
  private final Clock clock;
  private final Options options;
  private final Listener listener;

  public ExpirationController(
      KubernetesClient client,
      ClusterState state,
      EventRecorder events,
      Clock clock,
      Options options,
      Listener listener) {
    this.client = client;
    this.state = state;
    this.events = events;
    this.clock = clock;
    this.options = options;
    this.listener = listener;
  }

  /** One pass; returns the names of the NodeClaims deleted. */
  public List<String> reconcileOnce() {
    List<String> deleted = new ArrayList<>();
    if (!state.synced()) {
      return deleted;
    }
    Instant now = clock.instant();
    for (NodeClaim claim : state.nodeClaims()) {
      Optional<Instant> expiry = expiresAt(claim);
      if (expiry.isEmpty() || now.isBefore(expiry.get())) {
        continue;
      }
      String name = claim.getMetadata().getName();
      LOG.info(
          "disrupting via expiration: NodeClaim {} passed expireAfter {} at {}",
          name,
          claim.getSpec().getExpireAfter(),
          expiry.get());
      events.normal(
          claim,
          "DisruptionTerminating",
          "Disrupting NodeClaim: expired (expireAfter " + claim.getSpec().getExpireAfter() + ")");
      dev.dovetail.controllers.nodeclaim.NodeClaimDeletion.announce(
          events,
          claim,
          "Expired",
          "nodeclaim.expiration",
          "expireAfter " + claim.getSpec().getExpireAfter());
      try {
        client.resource(claim).delete();
        deleted.add(name);
        listener.expired(claim);
      } catch (RuntimeException e) {
        // retried on the next pass
        LOG.warn("deleting expired NodeClaim {}: {}", name, e.toString());
      }
    }
    return deleted;
  }

  /** When the NodeClaim expires; empty when it never does or is already being deleted. */
  Optional<Instant> expiresAt(NodeClaim claim) {
    if (claim.getMetadata().getDeletionTimestamp() != null
        || claim.getMetadata().getCreationTimestamp() == null
        || claim.getSpec() == null) {
      return Optional.empty();
    }
    Optional<Duration> after;
    try {
      after = Durations.parse(claim.getSpec().getExpireAfter());
    } catch (RuntimeException e) {
      // Not a duration: reported (never silently "does not expire"), and checked again next pass.
      LOG.warn(
          "NodeClaim {}: invalid expireAfter {}",
          claim.getMetadata().getName(),
          claim.getSpec().getExpireAfter());
      events.warning(
          claim,
          "InvalidExpireAfter",
          "spec.expireAfter '"
              + claim.getSpec().getExpireAfter()
              + "' is not a duration; expiration skipped");
      return Optional.empty();
    }
    return after.map(a -> Instant.parse(claim.getMetadata().getCreationTimestamp()).plus(a));
  }
}
