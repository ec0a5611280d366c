package dev.dovetail.operator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The liveness probe's answer: every controller loop reports when a pass begins and ends; the
 * process is not alive when a pass has run longer than its loop allows (stuck on a lock, a call
 * without timeout) or a periodic loop has not passed for too long (its thread died). The kubelet
 * then restarts the pod, which is what a stuck controller needs.
 */
public final class Liveness {
  private final LongSupplier nanoTime;
  private final List<Loop> loops = new CopyOnWriteArrayList<>();

  public Liveness() {
    this(System::nanoTime);
  }

  Liveness(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Whether every loop is alive, and if not, which one and why. */
  public record Verdict(boolean alive, String message) {}

  /**
   * A loop to watch.
   *
   * @param maxPass longest a single pass may run
   * @param maxSilence longest between two passes of a periodic loop; null for a loop that runs only
   *     on events
   */
  public Loop loop(String name, Duration maxPass, Duration maxSilence) {
    Loop loop = new Loop(name, maxPass, maxSilence, nanoTime.getAsLong());
    loops.add(loop);
    return loop;
  }

  public Verdict check() {
    long now = nanoTime.getAsLong();
    for (Loop l : loops) {
      long began = l.began;
      if (began != 0 && now - began > l.maxPass.toNanos()) {
        return new Verdict(
            false,
            l.name + ": pass running for " + Duration.ofNanos(now - began).toSeconds() + "s");
      }
      if (l.maxSilence != null && began == 0 && now - l.lastEnd > l.maxSilence.toNanos()) {
        return new Verdict(
            false, l.name + ": no pass for " + Duration.ofNanos(now - l.lastEnd).toSeconds() + "s");
      }
    }
    return new Verdict(true, "ok");
  }

  /** One loop's heartbeat; wrap each pass in {@link #begin()} and {@link #end()}. */
  public final class Loop {
    private final String name;
    private final Duration maxPass;
    private final Duration maxSilence;
    private volatile long began;
    private volatile long lastEnd;

    private Loop(String name, Duration maxPass, Duration maxSilence, long now) {
      this.name = name;
      this.maxPass = maxPass;
      this.maxSilence = maxSilence;
      this.lastEnd = now;
    }

    public void begin() {
      long t = nanoTime.getAsLong();
      began = t == 0 ? 1 : t;
    }

    public void end() {
      lastEnd = nanoTime.getAsLong();
      began = 0;
    }

    /** Runs one pass between begin and end. */
    public void pass(Runnable r) {
      begin();
      try {
        r.run();
      } finally {
        end();
      }
    }
  }
}
