package dev.dovetail.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The periodic-controller helper, driven by hand: passes run when the test ticks. */
class PeriodicControllerTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final Liveness liveness = new Liveness(nanos::get);
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<String> errors = new ArrayList<>();

  /** Records what was scheduled; {@link #tick()} runs one pass as the scheduled thread would. */
  static final class ManualScheduler implements PeriodicController.Scheduler {
    Runnable pass;
    Duration initialDelay;
    Duration interval;
    boolean stopped;

    @Override
    public AutoCloseable schedule(
        String name, Duration initialDelay, Duration interval, Runnable pass) {
      this.pass = pass;
      this.initialDelay = initialDelay;
      this.interval = interval;
      return () -> stopped = true;
    }

    void tick() {
      assertThat(stopped).as("ticked after stop").isFalse();
      pass.run();
    }
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  private PeriodicController controller(String name, Runnable reconcile) {
    return PeriodicController.every(Duration.ofSeconds(10), name, reconcile)
        .withScheduler(scheduler)
        .withLiveness(liveness)
        .withErrors((controller, reason) -> errors.add(controller + ":" + reason));
  }

  @Test
  void schedulesTheReconcileStepWithItsIntervalAndInitialDelay() {
    AtomicInteger runs = new AtomicInteger();
    PeriodicController c =
        controller("nodeclaim.expiration", runs::incrementAndGet)
            .withInitialDelay(Duration.ofSeconds(10))
            .start();
    assertThat(scheduler.interval).isEqualTo(Duration.ofSeconds(10));
    assertThat(scheduler.initialDelay).isEqualTo(Duration.ofSeconds(10));
    scheduler.tick();
    scheduler.tick();
    assertThat(runs).hasValue(2);
    assertThat(c.passes()).isEqualTo(2);
    assertThat(liveness.loopNames()).containsExactly("nodeclaim.expiration");
  }

  @Test
  void aPassEndedByTheStopInterruptingItIsNeitherAFailureNorAnError() {
    PeriodicController c =
        controller(
                "nodeclaim.disruption",
                () -> {
                  Thread.currentThread().interrupt(); // as close() does to a running pass
                  throw new java.util.concurrent.CancellationException("stopped while writing");
                })
            .start();
    try {
      assertThat(c.runOnce()).isFalse();
      assertThat(errors).isEmpty();
      assertThat(c.failures()).isZero();
    } finally {
      Thread.interrupted(); // clear it: the test thread goes on
    }
  }

  @Test
  void aFailingPassIsCountedAndTheLoopKeepsGoing() {
    AtomicInteger calls = new AtomicInteger();
    PeriodicController c =
        controller(
                "staticcapacity",
                () -> {
                  if (calls.incrementAndGet() <= 2) {
                    throw new IllegalStateException("API server said 500");
                  }
                })
            .start();
    scheduler.tick();
    scheduler.tick();
    scheduler.tick();
    assertThat(calls).hasValue(3);
    assertThat(c.failures()).isEqualTo(2);
    assertThat(c.passes()).isEqualTo(1);
    assertThat(errors)
        .containsExactly(
            "staticcapacity:IllegalStateException", "staticcapacity:IllegalStateException");
    assertThat(liveness.check().alive()).isTrue();
  }

  @Test
  void aFailingErrorCounterDoesNotStopTheLoopEither() {
    PeriodicController c =
        PeriodicController.every(
                Duration.ofSeconds(1),
                "nodeoverlay",
                () -> {
                  throw new IllegalArgumentException("bad overlay");
                })
            .withScheduler(scheduler)
            .withErrors(
                (controller, reason) -> {
                  throw new IllegalStateException("metrics registry closed");
                })
            .start();
    scheduler.tick();
    scheduler.tick();
    assertThat(c.failures()).isEqualTo(2);
  }

  @Test
  void anErrorIsNotSwallowedSoADeadThreadShowsInLiveness() {
    PeriodicController c =
        controller(
                "capacitybuffer",
                () -> {
                  throw new OutOfMemoryError("simulated");
                })
            .start();
    assertThatThrownBy(scheduler::tick).isInstanceOf(OutOfMemoryError.class);
    // the thread is gone: no pass completes again
    advance(c.livenessBound().plusSeconds(1));
    Liveness.Verdict v = liveness.check();
    assertThat(v.alive()).isFalse();
    assertThat(v.message()).startsWith("capacitybuffer: no pass");
  }

  @Test
  void aLoopThatStoppedPassingFailsLivenessUntilItPassesAgain() {
    PeriodicController c = controller("nodeclaim.disruption", () -> {}).start();
    // 6 intervals + 1 minute of slack
    assertThat(c.livenessBound()).isEqualTo(Duration.ofSeconds(120));
    scheduler.tick();
    advance(Duration.ofSeconds(119));
    assertThat(liveness.check().alive()).isTrue();
    advance(Duration.ofSeconds(2));
    assertThat(liveness.check().message()).startsWith("nodeclaim.disruption: no pass");
    scheduler.tick();
    assertThat(liveness.check().alive()).isTrue();
  }

  @Test
  void aHangingPassFailsLiveness() {
    List<Liveness.Verdict> seenDuringPass = new ArrayList<>();
    PeriodicController[] self = new PeriodicController[1];
    self[0] =
        controller(
                "node.health",
                () -> {
                  // the pass is stuck (a call without timeout) for longer than the loop allows
                  advance(self[0].livenessBound().plusSeconds(1));
                  seenDuringPass.add(liveness.check());
                })
            .start();
    scheduler.tick();
    assertThat(seenDuringPass).hasSize(1);
    assertThat(seenDuringPass.get(0).alive()).isFalse();
    assertThat(seenDuringPass.get(0).message()).startsWith("node.health: pass running for");
    assertThat(liveness.check().alive()).isTrue(); // the pass ended
  }

  @Test
  void closeStopsTheScheduleAndTheLivenessWatch() {
    PeriodicController c = controller("nodepool.status", () -> {}).start();
    c.close();
    assertThat(scheduler.stopped).isTrue();
    assertThat(liveness.loopNames()).isEmpty();
    // a stopped loop is not a dead loop
    advance(Duration.ofHours(1));
    assertThat(liveness.check().alive()).isTrue();
    c.close(); // idempotent
  }

  @Test
  void startingTwiceIsRefused() {
    PeriodicController c = controller("x", () -> {}).start();
    assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aZeroIntervalIsRefusedNamingTheController() {
    assertThatThrownBy(() -> PeriodicController.every(Duration.ZERO, "nodeoverlay", () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nodeoverlay");
  }

  @Test
  void theDaemonThreadSchedulerWaitsForTheRunningPassOnClose() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    AtomicInteger passes = new AtomicInteger();
    PeriodicController c =
        PeriodicController.every(
                Duration.ofMillis(10),
                "blocking",
                () -> {
                  passes.incrementAndGet();
                  entered.countDown();
                  try {
                    new CountDownLatch(1).await(); // until close interrupts it
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    finished.countDown();
                  }
                })
            .start();
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    c.close();
    // close returned only after the pass ended, and no pass follows
    assertThat(finished.getCount()).isZero();
    assertThat(passes).hasValue(1);
  }
}
