package dev.dovetail.controllers;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller that reconciles every {@code interval} (upstream's singleton controllers with a
 * {@code RequeueAfter}): one {@code reconcile()} step run on its own daemon thread. A failing pass
 * is logged, counted ({@link ControllerErrors}) and retried next interval; the loop never dies of
 * an exception. Each pass is reported to {@link Liveness}, so a loop that hangs or whose thread
 * died makes {@code /healthz} fail. {@link #close()} stops it and waits for a running pass.
 *
 * <p>The controller itself keeps only its {@code reconcile} step; the operator builds one of these
 * per periodic controller, so its start and stop are a list.
 */
public final class PeriodicController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeriodicController.class);

  /** A loop is dead when it has not completed a pass within this many intervals (plus slack). */
  public static final int LIVENESS_INTERVALS = 6;

  private static final Duration LIVENESS_SLACK = Duration.ofMinutes(1);

  /** Where passes are scheduled: a daemon thread in production; tests run passes by hand. */
  @FunctionalInterface
  public interface Scheduler {
    /**
     * Runs {@code pass} after {@code initialDelay}, then {@code interval} after each pass ends.
     *
     * @return stops the schedule (and waits briefly for a running pass)
     */
    AutoCloseable schedule(String name, Duration initialDelay, Duration interval, Runnable pass);

    /** One daemon thread per controller, named after it. */
    Scheduler DAEMON_THREAD =
        (name, initialDelay, interval, pass) -> {
          ScheduledExecutorService executor =
              Executors.newSingleThreadScheduledExecutor(
                  r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                  });
          executor.scheduleWithFixedDelay(
              pass, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
          return () -> {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
          };
        };
  }

  private final String name;
  private final Duration interval;
  private final Duration initialDelay;
  private final Duration maxPass;
  private final Runnable reconcile;
  private final ControllerErrors errors;
  private final Liveness liveness;
  private final Scheduler scheduler;
  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile Liveness.Loop heartbeat;
  private AutoCloseable schedule;

  private PeriodicController(
      String name,
      Duration interval,
      Duration initialDelay,
      Duration maxPass,
      Runnable reconcile,
      ControllerErrors errors,
      Liveness liveness,
      Scheduler scheduler) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(name + ": interval must be positive, got " + interval);
    }
    this.name = Objects.requireNonNull(name);
    this.interval = interval;
    this.initialDelay = initialDelay;
    this.maxPass = maxPass;
    this.reconcile = Objects.requireNonNull(reconcile);
    this.errors = errors;
    this.liveness = liveness;
    this.scheduler = scheduler;
  }

  /**
   * A controller named {@code name} (as in logs, metrics and {@code /healthz}) running {@code
   * reconcile} every {@code interval}, the first pass right away.
   */
  public static PeriodicController every(Duration interval, String name, Runnable reconcile) {
    return new PeriodicController(
        name,
        interval,
        Duration.ZERO,
        null,
        reconcile,
        ControllerErrors.NONE,
        null,
        Scheduler.DAEMON_THREAD);
  }

  /** The first pass waits this long (a controller that should let the cluster state settle). */
  public PeriodicController withInitialDelay(Duration delay) {
    return new PeriodicController(
        name, interval, delay, maxPass, reconcile, errors, liveness, scheduler);
  }

  /**
   * The longest one pass may run before the liveness probe fails, when longer than {@link
   * #livenessBound} (a pass whose work grows with the cluster, such as consolidation).
   */
  public PeriodicController withMaxPass(Duration maxPass) {
    return new PeriodicController(
        name, interval, initialDelay, maxPass, reconcile, errors, liveness, scheduler);
  }

  /** Where failed passes are counted. */
  public PeriodicController withErrors(ControllerErrors errors) {
    return new PeriodicController(
        name, interval, initialDelay, maxPass, reconcile, errors, liveness, scheduler);
  }

  /** Reports each pass to {@code liveness} once started. */
  public PeriodicController withLiveness(Liveness liveness) {
    return new PeriodicController(
        name, interval, initialDelay, maxPass, reconcile, errors, liveness, scheduler);
  }

  public PeriodicController withScheduler(Scheduler scheduler) {
    return new PeriodicController(
        name, interval, initialDelay, maxPass, reconcile, errors, liveness, scheduler);
  }

  public String name() {
    return name;
  }

  public Duration interval() {
    return interval;
  }

  /**
   * How long the loop may go without completing a pass, and the longest one pass may run, before
   * the liveness probe fails: {@value #LIVENESS_INTERVALS} intervals plus the initial delay and a
   * minute of slack (a pass that lists from a slow API server is not a dead loop).
   */
  public Duration livenessBound() {
    return interval.multipliedBy(LIVENESS_INTERVALS).plus(initialDelay).plus(LIVENESS_SLACK);
  }

  public synchronized PeriodicController start() {
    if (schedule != null) {
      throw new IllegalStateException(name + " already started");
    }
    if (liveness != null) {
      heartbeat = liveness.loop(name, maxPass == null ? livenessBound() : maxPass, livenessBound());
    }
    schedule = scheduler.schedule(name, initialDelay, interval, this::runOnce);
    return this;
  }

  /**
   * One pass: the reconcile step between heartbeats. An exception is logged and counted and the
   * pass reported as failed; an {@link Error} is not caught (the thread dies, and the liveness
   * probe then says so).
   *
   * @return whether the pass succeeded
   */
  public boolean runOnce() {
    Liveness.Loop beat = heartbeat;
    if (beat != null) {
      beat.begin();
    }
    try {
      reconcile.run();
      passes.incrementAndGet();
      return true;
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        // stopped mid-pass (close() interrupts it): not a failure, and nothing to retry
        LOG.debug("{} pass stopped: {}", name, e.toString());
        return false;
      }
      failures.incrementAndGet();
      LOG.warn("{} pass failed (retried in {}): {}", name, interval, e.toString(), e);
      try {
        errors.error(name, e.getClass().getSimpleName());
      } catch (RuntimeException ignored) {
        // counting must never stop the loop
      }
      return false;
    } finally {
      if (beat != null) {
        beat.end();
      }
    }
  }

  /** Passes completed without an exception. */
  public long passes() {
    return passes.get();
  }

  /** Passes that threw. */
  public long failures() {
    return failures.get();
  }

  @Override
  public synchronized void close() {
    Liveness.Loop beat = heartbeat;
    if (beat != null) {
      beat.close();
      heartbeat = null;
    }
    if (schedule != null) {
      try {
        schedule.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.debug("stopping {}: {}", name, e.toString());
      }
      schedule = null;
    }
  }

  @Override
  public String toString() {
    return "PeriodicController[" + name + " every " + interval + "]";
  }
}
