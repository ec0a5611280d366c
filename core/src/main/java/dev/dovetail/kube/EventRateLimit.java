package dev.dovetail.kube;

import java.util.function.LongSupplier;

/**
 * A token bucket that drops what it cannot take: how many events of one kind reach the API server
 * per second, across every object they are about. Karpenter publishes its {@code Nominated} events
 * through one such bucket (client-go's token bucket, 5 a second, 10 at once), so a pass over 20,000
 * pods writes a few events, not 20,000; the nomination itself lives in the cluster state, the event
 * only tells a person.
 */
public final class EventRateLimit {
  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  public EventRateLimit(double perSecond, int burst, LongSupplier nanoTime) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException(
          "an event rate limit needs a positive rate and burst: " + perSecond + "/s, " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  /** Upstream's {@code PodNominationRateLimiter}: 5 a second, 10 at once. */
  public static EventRateLimit podNominations() {
    return new EventRateLimit(5, 10, System::nanoTime);
  }

  /** Takes one event's token if there is one; false means the event is dropped. */
  public synchronized boolean tryTake() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
    last = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
