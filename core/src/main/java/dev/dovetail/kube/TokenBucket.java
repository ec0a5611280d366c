package dev.dovetail.kube;

import java.util.function.LongSupplier;

/**
 * A token bucket, client-go's {@code flowcontrol} kind: {@code burst} at once, then {@code
 * perSecond}. What reaches the API server is paced through one: NodeClaim creates wait for a token
 * ({@link #acquire}), so a plan of 2,000 claims is written at a pace the server tolerates; {@code
 * Nominated} events take one if there is one ({@link #tryTake}) and are dropped otherwise, so a
 * pass over 20,000 pods writes a few events, not 20,000 (the nomination lives in the cluster state;
 * the event only tells a person).
 */
public final class TokenBucket {
  /** Waits; tests pass one that advances their fake time instead. */
  public interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private double tokens;
  private long last;

  public TokenBucket(double perSecond, int burst) {
    this(
        perSecond,
        burst,
        System::nanoTime,
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  public TokenBucket(double perSecond, int burst, LongSupplier nanoTime, Sleeper sleeper) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException(
          "a token bucket needs a positive rate and burst: " + perSecond + "/s, " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  /** Upstream's {@code PodNominationRateLimiter}: 5 a second, 10 at once. */
  public static TokenBucket podNominations() {
    return new TokenBucket(5, 10);
  }

  /** Takes a token if there is one; false means the caller goes without (an event is dropped). */
  public synchronized boolean tryTake() {
    refill();
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  /** Blocks until a token is there, and takes it. */
  public synchronized void acquire() throws InterruptedException {
    refill();
    while (tokens < 1) {
      sleeper.sleepNanos(Math.max(1, (long) Math.ceil((1 - tokens) / perSecond * 1e9)));
      refill();
    }
    tokens -= 1;
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
    last = now;
  }
}
