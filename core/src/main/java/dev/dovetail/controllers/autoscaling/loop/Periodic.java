package dev.dovetail.controllers.autoscaling.loop;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pass on one daemon thread every period; a failing pass is logged and retried next time.
 */
public final class Periodic implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);
  private final ScheduledExecutorService executor;

  private Periodic(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  public static Periodic every(Duration period, String name, Runnable pass) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            pass.run();
          } catch (RuntimeException e) {
            LOG.warn("{} pass failed: {}", name, e.toString());
          }
        },
        0,
        period.toMillis(),
        TimeUnit.MILLISECONDS);
    return new Periodic(executor);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
