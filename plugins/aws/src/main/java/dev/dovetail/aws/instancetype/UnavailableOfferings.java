package dev.dovetail.aws.instancetype;

import dev.dovetail.aws.cache.TtlCache;
import dev.dovetail.cloudprovider.OfferingKey;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Offerings EC2 recently had no capacity for (instance type, zone, capacity type), remembered for
 * three minutes as upstream does, so the next launch and the next instance-type listing skip them.
 * A spot quota error makes the whole spot capacity type unavailable for the same time.
 */
public final class UnavailableOfferings {
  public static final Duration TTL = Duration.ofMinutes(3);

  private final TtlCache<OfferingKey, Boolean> offerings;
  private final TtlCache<String, Boolean> capacityTypes;
  private final AtomicLong sequence = new AtomicLong();

  public UnavailableOfferings(Clock clock) {
    this.offerings = new TtlCache<>(clock, TTL);
    this.capacityTypes = new TtlCache<>(clock, TTL);
  }

  public void markUnavailable(OfferingKey key) {
    offerings.put(key, Boolean.TRUE);
    sequence.incrementAndGet();
  }

  public void markCapacityTypeUnavailable(String capacityType) {
    capacityTypes.put(capacityType, Boolean.TRUE);
    sequence.incrementAndGet();
  }

  public boolean isUnavailable(String instanceType, String zone, String capacityType) {
    return capacityTypes.get(capacityType) != null
        || offerings.get(new OfferingKey(instanceType, zone, capacityType)) != null;
  }

  /** Changes whenever something is marked, so callers can tell their cached view is stale. */
  public long sequence() {
    return sequence.get();
  }
}
