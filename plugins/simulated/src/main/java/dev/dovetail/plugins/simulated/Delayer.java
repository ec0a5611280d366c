package dev.dovetail.plugins.simulated;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the simulated cloud's delayed work (node registration, startup taint removal, spot
 * terminations). Production uses a single daemon thread; tests pass a manual one that runs tasks
 * when they move their clock, so no test sleeps.
 */
public interface Delayer extends AutoCloseable {

  void schedule(Duration delay, Runnable task);

  @Override
  void close();

  /** A delayer on one daemon thread; a failing task is logged and does not stop the others. */
  static Delayer singleThread(String threadName) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    System.Logger log = System.getLogger(Delayer.class.getName());
    return new Delayer() {
      @Override
      public void schedule(Duration delay, Runnable task) {
        Runnable guarded =
            () -> {
              try {
                task.run();
              } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "simulated cloud task failed", e);
              }
            };
        executor.schedule(guarded, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      }

      @Override
      public void close() {
        executor.shutdownNow();
      }
    };
  }
}
