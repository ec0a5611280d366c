package dev.dovetail.controllers.provisioning;

import java.util.function.LongSupplier;

/**
 * A token bucket for NodeClaim creation: a big plan (say 2,000 NodeClaims for a 50,000-pod backlog)
 * is created at a pace the API server tolerates instead of as one burst of writes.
 */
final class CreateRateLimiter {
  /** Waits; tests pass one that advances their fake time instead. */
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private double tokens;
  private long last;

  CreateRateLimiter(double perSecond, int burst) {
    this(
        perSecond,
        burst,
        System::nanoTime,
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  CreateRateLimiter(double perSecond, int burst, LongSupplier nanoTime, Sleeper sleeper) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  /** Blocks until one creation may proceed. */
  synchronized void acquire() throws InterruptedException {
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
