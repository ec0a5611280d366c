package dev.dovetail.controllers.provisioning;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Looks for pods that became provisionable without an event of their own (a nomination voided by a
 * NodeClaim's change, one that lapsed, an ICE entry that expired) and asks for a batch when there
 * is one: every {@code period}, and soon after each {@link #request}. Looks run on a thread of
 * their own, since one walks the pending pods, and never closer together than {@code spacing}:
 * during a 20,000-pod burst every NodeClaim create and status write requested one, and looks run
 * back to back took a third of the controllers' CPU (a JFR profile, BENCHMARKS.md). The batch
 * window that follows a trigger is a second at least, so a look up to {@code spacing} later costs
 * little.
 */
final class ProvisionableLook implements AutoCloseable {
  private final BooleanSupplier anyProvisionable;
  private final Runnable trigger;
  private final long spacingNanos;
  private final LongSupplier nanoTime;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "provisioner-recheck");
            t.setDaemon(true);
            return t;
          });

  /** When the last look began; only the look thread writes it. */
  private volatile long lastLook;

  private volatile boolean looked;

  /**
   * @param anyProvisionable whether some pod waits for capacity (and is not nominated)
   * @param trigger asks the provisioner for a batch
   */
  ProvisionableLook(
      BooleanSupplier anyProvisionable, Runnable trigger, Duration spacing, LongSupplier nanoTime) {
    this.anyProvisionable = anyProvisionable;
    this.trigger = trigger;
    this.spacingNanos = spacing.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Looks every {@code period} from now on. */
  ProvisionableLook start(Duration period) {
    thread.scheduleWithFixedDelay(
        this::look, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Asks for a look: at once if none ran within the spacing, else when the spacing is up. Requests
   * arriving while one is queued share it.
   */
  void request() {
    if (!queued.compareAndSet(false, true)) {
      return;
    }
    long wait = looked ? Math.max(0, lastLook + spacingNanos - nanoTime.getAsLong()) : 0;
    try {
      thread.schedule(
          () -> {
            // Cleared before the look: a change during it asks for the next one.
            queued.set(false);
            look();
          },
          wait,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      queued.set(false);
    }
  }

  private void look() {
    lastLook = nanoTime.getAsLong();
    looked = true;
    if (anyProvisionable.getAsBoolean()) {
      trigger.run();
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
