package dev.dovetail.controllers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The liveness probe's answer: every controller loop reports when a pass begins and ends; the
 * process is not alive when a pass has run longer than its loop allows (stuck on a lock, a call
 * without timeout) or a periodic loop has not passed for too long (its thread died). The kubelet
 * then restarts the pod, which is what a stuck controller needs.
 *
 * <p>It lives with the controllers, not with the operator, so a controller can report its heartbeat
 * without knowing who wires it.
 */
public final class Liveness {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Liveness.class);
  private final LongSupplier nanoTime;
  private final List<Loop> loops = new CopyOnWriteArrayList<>();

  public Liveness() {
    this(System::nanoTime);
  }

  public Liveness(LongSupplier nanoTime) {
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

  /** The names of the loops watched, in registration order. */
  public List<String> loopNames() {
    return loops.stream().map(l -> l.name).toList();
  }

  /** The probe's answer ({@code /healthz}); a failing verdict is logged, naming the loop. */
  public boolean alive() {
    Verdict v = check();
    if (!v.alive()) {
      LOG.warn("liveness: {}", v.message());
    }
    return v.alive();
  }

  public Verdict check() {
    long now = nanoTime.getAsLong();
    for (Loop l : loops) {
      Long began = l.oldestPass();
      if (began != null && now - began > l.maxPass.toNanos()) {
        return new Verdict(
            false,
            l.name + ": pass running for " + Duration.ofNanos(now - began).toSeconds() + "s");
      }
      if (l.maxSilence != null && began == null && now - l.lastEnd > l.maxSilence.toNanos()) {
        return new Verdict(
            false, l.name + ": no pass for " + Duration.ofNanos(now - l.lastEnd).toSeconds() + "s");
      }
    }
    return new Verdict(true, "ok");
  }

  /**
   * One loop's heartbeat; wrap each pass in {@link #begin()} and {@link #end()} on the same thread.
   * Passes may run on several threads at once (java-operator-sdk's reconcilers): each thread's pass
   * is tracked on its own, and the oldest one decides.
   */
  public final class Loop implements AutoCloseable {
    private final String name;
    private final Duration maxPass;
    private final Duration maxSilence;
    private final Map<Thread, Long> inFlight = new ConcurrentHashMap<>();
    private volatile long lastEnd;

    private Loop(String name, Duration maxPass, Duration maxSilence, long now) {
      this.name = name;
      this.maxPass = maxPass;
      this.maxSilence = maxSilence;
      this.lastEnd = now;
    }

    public String name() {
      return name;
    }

    public void begin() {
      inFlight.put(Thread.currentThread(), nanoTime.getAsLong());
    }

    public void end() {
      lastEnd = nanoTime.getAsLong();
      inFlight.remove(Thread.currentThread());
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

    private Long oldestPass() {
      Long oldest = null;
      for (Long t : inFlight.values()) {
        if (oldest == null || t - oldest < 0) {
          oldest = t;
        }
      }
      return oldest;
    }

    /** A loop stopped on purpose is no longer watched. */
    @Override
    public void close() {
      loops.remove(this);
    }
  }
}
