package dev.dovetail.controllers.provisioning;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Looks for provisionable pods after a NodeClaim or NodePool change, at most once per {@code
 * interval}: events arriving while a look is queued share it, and a look is not started sooner than
 * {@code interval} after the previous one began. The look scans every pod marked Unschedulable and
 * asks each whether its nomination still holds; at 20,000 pods with thousands nominated and a
 * NodeClaim event every few milliseconds, back-to-back looks used as much CPU as the provisioner's
 * solves (the {@code provisioner-recheck} thread in {@code bench provisioning}). A look only
 * decides whether a batch is due, and a batch then waits its idle window anyway, so pacing it adds
 * at most {@code interval} to a pass that freed capacity calls for.
 */
final class PacedLook {
  private final ScheduledExecutorService executor;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final BooleanSupplier due;
  private final Runnable trigger;
  private final AtomicBoolean queued = new AtomicBoolean();
  private volatile long lastStart;
  private volatile boolean started;

  /**
   * @param due whether some pod is provisionable (the look itself)
   * @param trigger what to do when it is (start a batch)
   */
  PacedLook(
      ScheduledExecutorService executor,
      Duration interval,
      LongSupplier nanoTime,
      BooleanSupplier due,
      Runnable trigger) {
    this.executor = executor;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.due = due;
    this.trigger = trigger;
  }

  /** Asks for a look; returns at once. */
  void request() {
    if (!queued.compareAndSet(false, true)) {
      return; // one is queued: it will see this change too
    }
    long wait = started ? lastStart + intervalNanos - nanoTime.getAsLong() : 0;
    try {
      executor.schedule(this::look, Math.max(0, wait), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      queued.set(false);
    }
  }

  private void look() {
    lastStart = nanoTime.getAsLong();
    started = true;
    // Cleared before the scan: a change during it asks for the next look, not lost.
    queued.set(false);
    if (due.getAsBoolean()) {
      trigger.run();
    }
  }
}
