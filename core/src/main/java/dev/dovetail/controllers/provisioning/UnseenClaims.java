package dev.dovetail.controllers.provisioning;

import dev.dovetail.cloudprovider.Resources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * NodeClaims this provisioner created that its informer cache has not shown yet, with what each
 * reserves of its NodePool's limits. A pass solves against the cache, so a pass that starts before
 * the previous pass's claims arrive there would see their NodePool's usage without them and buy
 * past the limit (a loaded API server or a slow watch makes that gap seconds long). Upstream
 * Karpenter waits for its own creates to show up in cluster state before the next solve; here they
 * are counted until they do. Counted until seen or {@code ttl} old: a claim deleted before the
 * cache ever held it would otherwise reserve for ever.
 */
final class UnseenClaims {

  private record Entry(String pool, Resources reserved, Instant created) {}

  private final Map<String, Entry> byName = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;

  UnseenClaims(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  /** Records a claim just created in {@code pool}, reserving {@code reserved}. */
  void created(String name, String pool, Resources reserved) {
    byName.put(name, new Entry(pool, reserved, clock.instant()));
  }

  /**
   * What the claims not yet {@code seen} reserve, per NodePool; claims seen (or too old) are
   * forgotten. Call it before reading the cache for a solve: a claim that arrives in between is
   * then counted twice for one pass, never not at all.
   */
  Map<String, Resources> reservedByPool(Predicate<String> seen) {
    Instant oldest = clock.instant().minus(ttl);
    Map<String, Resources> out = new HashMap<>();
    byName
        .entrySet()
        .removeIf(e -> seen.test(e.getKey()) || e.getValue().created().isBefore(oldest));
    byName.values().forEach(e -> out.merge(e.pool(), e.reserved(), Resources::add));
    return out;
  }
}
