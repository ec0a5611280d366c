package dev.dovetail.cloudprovider;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's periodic background work (price refreshes, interruption-queue polls) on daemon
 * threads of its own name. A run that throws is logged and the task runs again at its next time: a
 * plain {@link ScheduledExecutorService} would silently end the schedule of a task that threw once.
 * {@link #close()} stops every task (from {@link CloudProvider#close()}).
 */
public final class PeriodicTasks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeriodicTasks.class);

  private final ScheduledExecutorService executor;

  /**
   * @param threadName the name of the threads, as seen in thread dumps and CPU accounting
   * @param threads how many tasks may run at once
   */
  public PeriodicTasks(String threadName, int threads) {
    this.executor =
        Executors.newScheduledThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs {@code task} after {@code initialDelay}, then {@code every} after each run ends.
   *
   * @param what what the task does, for the log line of a failed run
   */
  public PeriodicTasks schedule(String what, Duration initialDelay, Duration every, Runnable task) {
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", what, e.toString());
          }
        },
        initialDelay.toMillis(),
        Math.max(1, every.toMillis()),
        TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
