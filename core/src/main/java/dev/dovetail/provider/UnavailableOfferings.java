package dev.dovetail.provider;

import dev.dovetail.cloudprovider.OfferingKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Offerings the cloud recently had no capacity for (Karpenter's ICE cache). They count as
 * unavailable until their TTL passes, so the next solve picks other offerings instead of asking
 * again for capacity that is not there.
 */
public final class UnavailableOfferings {
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(3);

  private final Clock clock;
  private final Duration ttl;
  private final Map<OfferingKey, Instant> until = new ConcurrentHashMap<>();

  public UnavailableOfferings(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  public void markUnavailable(Collection<OfferingKey> offerings) {
    Instant expiry = clock.instant().plus(ttl);
    for (OfferingKey k : offerings) {
      until.put(k, expiry);
    }
  }

  public boolean isUnavailable(OfferingKey key) {
    Instant expiry = until.get(key);
    if (expiry == null) {
      return false;
    }
    if (!clock.instant().isBefore(expiry)) {
      until.remove(key, expiry);
      return false;
    }
    return true;
  }

  public boolean isEmpty() {
    return until.isEmpty();
  }
}
