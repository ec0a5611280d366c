package dev.dovetail.controllers.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacedLookTest {
  /** Records what is scheduled and runs it only when the test says so. */
  static final class Recorded extends ScheduledThreadPoolExecutor {
    final List<Runnable> tasks = new ArrayList<>();
    final List<Long> delaysMillis = new ArrayList<>();

    Recorded() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      tasks.add(command);
      delaysMillis.add(unit.toMillis(delay));
      return null;
    }

    void runNext() {
      tasks.remove(0).run();
    }
  }

  private final Recorded executor = new Recorded();
  private final AtomicLong now = new AtomicLong();
  private final AtomicBoolean due = new AtomicBoolean(true);
  private final AtomicInteger triggers = new AtomicInteger();
  private final PacedLook look =
      new PacedLook(
          executor, Duration.ofMillis(500), now::get, due::get, triggers::incrementAndGet);

  @AfterEach
  void close() {
    executor.shutdownNow();
  }

  @Test
  void requestsWhileALookIsQueuedShareIt() {
    for (int i = 0; i < 1000; i++) {
      look.request();
    }
    assertThat(executor.tasks).hasSize(1);
    assertThat(executor.delaysMillis).containsExactly(0L);
    executor.runNext();
    assertThat(triggers).hasValue(1);
  }

  @Test
  void theNextLookWaitsOutTheIntervalFromTheLastStart() {
    look.request();
    executor.runNext(); // started at 0
    now.set(TimeUnit.MILLISECONDS.toNanos(100));
    look.request();
    look.request();
    assertThat(executor.delaysMillis).containsExactly(0L, 400L);
    now.set(TimeUnit.MILLISECONDS.toNanos(500));
    executor.runNext(); // started at 500
    now.set(TimeUnit.MILLISECONDS.toNanos(1700));
    look.request();
    assertThat(executor.delaysMillis).containsExactly(0L, 400L, 0L);
    assertThat(triggers).hasValue(2);
  }

  @Test
  void noBatchWhenNothingIsProvisionable() {
    due.set(false);
    look.request();
    executor.runNext();
    assertThat(triggers).hasValue(0);
  }

  @Test
  void aChangeSeenDuringALookAsksForTheNextOne() {
    PacedLook[] self = new PacedLook[1];
    AtomicInteger looks = new AtomicInteger();
    self[0] =
        new PacedLook(
            executor,
            Duration.ofMillis(500),
            now::get,
            () -> {
              // A NodeClaim event arrives while this look scans: it must not be folded into it.
              if (looks.incrementAndGet() == 1) {
                self[0].request();
              }
              return false;
            },
            triggers::incrementAndGet);
    self[0].request();
    executor.runNext();
    assertThat(executor.tasks).hasSize(1);
    executor.runNext();
    assertThat(looks).hasValue(2);
  }
}
