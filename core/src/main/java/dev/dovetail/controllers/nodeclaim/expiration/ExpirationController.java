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

  /**
   * The cluster state's generation when every NodeClaim was last checked, and the earliest expiry
   * found then: until either moves, no NodeClaim can have expired, so a pass reads none of them
   * (4,000 NodeClaims' timestamps parsed every 10 s on an idle cluster otherwise).
   */
  private long checkedGeneration = -1;

  private Instant nextExpiry = Instant.MIN;

  private long checks;

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
    long generation = state.generation(); // before the cache is read: a later event moves it
    if (generation == checkedGeneration && now.isBefore(nextExpiry)) {
      return deleted;
    }
    checks++;
    Instant earliest = Instant.MAX;
    boolean failed = false;
    for (NodeClaim claim : state.nodeClaims()) {
      Optional<Instant> expiry = expiresAt(claim);
      if (expiry.isEmpty()) {
        continue;
      }
      if (now.isBefore(expiry.get())) {
        earliest = expiry.get().isBefore(earliest) ? expiry.get() : earliest;
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
        failed = true;
        LOG.warn("deleting expired NodeClaim {}: {}", name, e.toString());
      }
    }
    // A failed delete is retried next pass whatever the cache says; a deleted claim's own event
    // moves the generation, so the next pass checks again anyway.
    checkedGeneration = failed ? -1 : generation;
    nextExpiry = earliest;
    return deleted;
  }

  /** Passes that read every NodeClaim (a pass with nothing changed and nothing due reads none). */
  public long checks() {
    return checks;
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
