package dev.dovetail.azure.instancetype;

import dev.dovetail.cloudprovider.OfferingKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Offerings that recently failed with a capacity error, kept unavailable for a TTL (upstream: 3
 * minutes) so the next launch picks another size, zone or capacity type.
 */
public final class UnavailableOfferings {
  public static final Duration TTL = Duration.ofMinutes(3);

  private final Clock clock;
  private final ConcurrentHashMap<OfferingKey, Instant> until = new ConcurrentHashMap<>();

  public UnavailableOfferings(Clock clock) {
    this.clock = clock;
  }

  public void markUnavailable(OfferingKey key) {
    until.put(key, clock.instant().plus(TTL));
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
