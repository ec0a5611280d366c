package dev.dovetail.gcp.instancetype;

import dev.dovetail.cloudprovider.OfferingKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Offerings GCE recently refused for capacity or quota (Karpenter's unavailable-offerings cache):
 * they are reported {@code available=false} until the TTL passes.
 */
public final class UnavailableOfferings {
  private final Clock clock;
  private final Duration ttl;
  private final Map<OfferingKey, Instant> until = new ConcurrentHashMap<>();

  public UnavailableOfferings(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  public void mark(OfferingKey key) {
    until.put(key, clock.instant().plus(ttl));
  }

  public boolean isUnavailable(OfferingKey key) {
    Instant t = until.get(key);
    if (t == null) {
      return false;
    }
    if (!clock.instant().isBefore(t)) {
      until.remove(key, t);
      return false;
    }
    return true;
  }
}
