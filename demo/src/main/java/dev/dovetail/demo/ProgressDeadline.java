package dev.dovetail.demo;

import java.time.Duration;

/**
 * When the provisioning phase gives up. At {@code --timeout} it fails only if binding has stalled:
 * on a machine loaded many times over the stand-in scheduler binds slowly but steadily, and a phase
 * that bound pods within the last {@code stallWindow} is progressing, not failing. A real failure
 * (pods no longer being bound) still ends the phase at the timeout, and a hard cap of {@code
 * MAX_EXTENSION_FACTOR} times the timeout bounds a phase that crawls forever. Times are {@link
 * System#nanoTime()} readings passed in, so the rule is tested without a clock.
 */
final class ProgressDeadline {
  /** The phase never runs past this many times its timeout, progressing or not. */
  static final int MAX_EXTENSION_FACTOR = 4;

  private final long start;
  private final long timeout;
  private final long stallWindow;
  private long lastProgress;
  private int bestBound;

  /**
   * @param start when the phase started (nanoTime)
   * @param timeout the phase's timeout
   * @param stallWindow how long without a newly bound pod counts as stalled
   */
  ProgressDeadline(long start, Duration timeout, Duration stallWindow) {
    this.start = start;
    this.timeout = timeout.toNanos();
    this.stallWindow = stallWindow.toNanos();
    this.lastProgress = start;
  }

  /** Notes a reading: {@code bound} pods bound at {@code now}. */
  void observe(long now, int bound) {
    if (bound > bestBound) {
      lastProgress = now;
      bestBound = bound;
    }
  }

  /** Whether the phase should give up at {@code now}. */
  boolean expired(long now) {
    long elapsed = now - start;
    if (elapsed <= timeout) {
      return false;
    }
    if (elapsed > timeout * MAX_EXTENSION_FACTOR) {
      return true;
    }
    return now - lastProgress > stallWindow;
  }

  /** Why the phase gave up at {@code now} (once {@link #expired} said so). */
  String why(long now) {
    if (now - start > timeout * MAX_EXTENSION_FACTOR) {
      return "still binding at " + MAX_EXTENSION_FACTOR + "x --timeout, the hard cap";
    }
    return "no pod bound for "
        + Duration.ofNanos(now - lastProgress).toSeconds()
        + "s past --timeout (a stall, not slowness)";
  }
}
