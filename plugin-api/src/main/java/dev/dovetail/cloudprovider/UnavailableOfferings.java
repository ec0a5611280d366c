package dev.dovetail.cloudprovider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Offerings the cloud recently had no capacity for (Karpenter's unavailable-offerings or "ICE"
 * cache): each counts as unavailable until its TTL passes (upstream: 3 minutes), so the next solve
 * and the next launch pick other offerings instead of asking again for capacity that is not there.
 * A whole capacity type can be struck at once (a spot quota error). Thread-safe; time is read from
 * the injected clock. The core keeps one for the errors a provider reports; a provider that learns
 * of capacity errors itself (inside a fleet request) keeps one too.
 */
public final class UnavailableOfferings {
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(3);

  private final Clock clock;
  private final Duration ttl;
  private final Map<OfferingKey, Instant> offerings = new ConcurrentHashMap<>();
  private final Map<String, Instant> capacityTypes = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  public UnavailableOfferings(Clock clock) {
    this(clock, DEFAULT_TTL);
  }

  public UnavailableOfferings(Clock clock, Duration ttl) {
    if (ttl == null || ttl.isNegative()) {
      throw new IllegalArgumentException("unavailable-offerings TTL must be >= 0, got " + ttl);
    }
    this.clock = clock;
    this.ttl = ttl;
  }

  public void markUnavailable(OfferingKey key) {
    offerings.put(key, clock.instant().plus(ttl));
    sequence.incrementAndGet();
  }

  public void markUnavailable(Collection<OfferingKey> keys) {
    Instant expiry = clock.instant().plus(ttl);
    for (OfferingKey k : keys) {
      offerings.put(k, expiry);
    }
    sequence.incrementAndGet();
  }

  /** Every offering of the capacity type (e.g. {@code spot}) unavailable for the TTL. */
  public void markCapacityTypeUnavailable(String capacityType) {
    capacityTypes.put(capacityType, clock.instant().plus(ttl));
    sequence.incrementAndGet();
  }

  public boolean isUnavailable(OfferingKey key) {
    return live(capacityTypes, key.capacityType()) || live(offerings, key);
  }

  public boolean isUnavailable(String instanceType, String zone, String capacityType) {
    return isUnavailable(new OfferingKey(instanceType, zone, capacityType));
  }

  /** Whether no mark is held (an expired one counts until it is next read): a cheap skip. */
  public boolean isEmpty() {
    return offerings.isEmpty() && capacityTypes.isEmpty();
  }

  /** Changes whenever something is marked, so callers can tell their cached view is stale. */
  public long sequence() {
    return sequence.get();
  }

  private <K> boolean live(Map<K, Instant> entries, K key) {
    Instant expiry = entries.get(key);
    if (expiry == null) {
      return false;
    }
    if (!clock.instant().isBefore(expiry)) {
      entries.remove(key, expiry);
      return false;
    }
    return true;
  }
}
