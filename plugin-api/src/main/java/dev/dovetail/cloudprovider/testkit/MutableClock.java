package dev.dovetail.cloudprovider.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock tests move by hand, so TTLs, timeouts and expirations are tested without waiting for
 * them. Safe to read from the threads of the code under test while the test advances it.
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;

  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A clock starting at the real current instant. */
  public static MutableClock startingNow() {
    return new MutableClock(Instant.now());
  }

  /** Moves the clock forward (or back, with a negative duration). */
  public void advance(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  /** Sets the clock to an instant. */
  public void set(Instant instant) {
    now.set(instant);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
