package dev.dovetail.controllers.provisioning;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.state.SnapshotBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * NodeClaims this provisioner created (or is creating) whose full reservation the informer cache
 * does not show yet, with what each reserves of its NodePool's limits. A pass solves against the
 * cache, so a pass that starts before the previous pass's claims arrive there would see their
 * NodePool's usage without them and buy past the limit (a loaded API server or a slow watch makes
 * that gap seconds long). Upstream Karpenter writes each created NodeClaim into its cluster state
 * at once for the same reason; here the reservation is counted on top of the cache until the cache
 * counts it.
 *
 * <p>Recorded before the create call (the informer's ADD may arrive before the call returns) and
 * dropped on the informer's events for the name, not at a pass start: a claim created and deleted
 * between two passes (an ICE'd spot launch) is never in the cache when a pass starts, yet its
 * DELETE event still releases it. The cache counts a claim's {@code spec.resources} (the pods'
 * requests) until its launch writes {@code status.capacity}, less than the instance reserved here:
 * while it is cached without capacity, only the difference is counted. The TTL is a last resort for
 * an event that never comes.
 */
final class UncachedClaims {

  /** {@code claim} is the created copy until the cache holds the claim, then null. */
  private record Reservation(
      NodeClaim claim, String nodePool, Resources reserved, Instant recorded) {}

  /**
   * What a pass adds to the cache: the recorded claims it does not hold (in flight like the cached
   * ones: pods fit onto their spare room) and, per NodePool, what all recorded claims reserve
   * beyond what the cache (or, for a claim not there, its copy listed here) counts of them.
   */
  record NotYetCached(List<NodeClaim> claims, Map<String, Resources> reservedByPool) {
    static final NotYetCached NONE = new NotYetCached(List.of(), Map.of());
  }

  private final Map<String, Reservation> byName = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;

  UncachedClaims(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  /** Records a claim about to be created in {@code nodePool}, reserving {@code reserved}. */
  void creating(NodeClaim claim, String nodePool, Resources reserved) {
    byName.put(
        claim.getMetadata().getName(), new Reservation(claim, nodePool, reserved, clock.instant()));
  }

  /** Whether a claim of this name is recorded (about to be created, or created and not cached). */
  boolean has(String name) {
    return byName.containsKey(name);
  }

  /** Forgets a claim whose create failed: it reserves nothing. */
  void createFailed(String name) {
    byName.remove(name);
  }

  /**
   * An informer event (ADD, UPDATE or DELETE) for {@code name}; {@code cached} is what the cache
   * holds for it now (events are handed out after the cache is written). The record goes once the
   * cache counts the whole claim (launched: {@code status.capacity}) or no longer holds it
   * (deleted, which releases its share of the limit).
   */
  void observed(String name, Optional<NodeClaim> cached) {
    if (!byName.containsKey(name)) {
      return;
    }
    if (cached.isEmpty() || hasCapacity(cached.get())) {
      byName.remove(name);
    } else {
      // The cache holds it now and a pass reads it from there: the copy kept since the create
      // would only double the claim in the heap while its launch takes (thousands of launches
      // waiting at 50,000 pods under a 512 MiB heap).
      byName.computeIfPresent(
          name, (n, r) -> new Reservation(null, r.nodePool(), r.reserved(), r.recorded()));
    }
  }

  /**
   * What the recorded claims reserve beyond what the cache counts for them, per NodePool. Call it
   * before reading the cache for a solve: a claim that reaches the cache in between is then counted
   * twice for one pass (a pod waits a pass), never not at all (a limit overrun).
   *
   * @param cached the cache's copy of a claim, if it holds one
   */
  NotYetCached notYetCached(Function<String, Optional<NodeClaim>> cached) {
    Instant oldest = clock.instant().minus(ttl);
    byName.values().removeIf(r -> r.recorded().isBefore(oldest));
    if (byName.isEmpty()) {
      return NotYetCached.NONE;
    }
    List<NodeClaim> absent = new ArrayList<>();
    Map<String, Resources> out = new HashMap<>();
    byName.forEach(
        (name, r) -> {
          Optional<NodeClaim> inCache = cached.apply(name);
          if (inCache.isEmpty() && r.claim() == null) {
            return; // seen cached, now gone: its DELETE event is on its way and releases it
          }
          if (inCache.isEmpty()) {
            absent.add(r.claim());
          }
          Resources counted = SnapshotBuilder.limitUsage(inCache.orElse(r.claim()));
          Resources beyond = r.reserved().subtract(counted).clampNonNegative();
          if (!beyond.isEmpty()) {
            out.merge(r.nodePool(), beyond, Resources::add);
          }
        });
    return new NotYetCached(absent, out);
  }

  /** How many claims are recorded (tests, logs). */
  int size() {
    return byName.size();
  }

  private static boolean hasCapacity(NodeClaim claim) {
    return claim.getStatus() != null && claim.getStatus().getCapacity() != null;
  }
}
