package dev.dovetail.controllers.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.dovetail.cloudprovider.testkit.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProvisionableLookTest {

  @Test
  void aBurstOfRequestsCostsOneLookAtOnceAndOneWhenTheSpacingIsUp() throws InterruptedException {
    List<Long> looks = new CopyOnWriteArrayList<>();
    Duration spacing = Duration.ofMillis(400);
    try (ProvisionableLook look =
        new ProvisionableLook(
            () -> {
              looks.add(System.nanoTime());
              return false;
            },
            () -> {},
            spacing,
            System::nanoTime)) {
      look.request();
      Eventually.await(Duration.ofSeconds(10), () -> looks.size() == 1, "the first look");

      // What a pass of 500 NodeClaim creates does: an event, so a request, per claim.
      for (int i = 0; i < 500; i++) {
        look.request();
      }
      Eventually.await(Duration.ofSeconds(10), () -> looks.size() == 2, "the spaced look");
      Thread.sleep(spacing.toMillis() * 2);

      assertThat(looks).hasSize(2);
      assertThat(looks.get(1) - looks.get(0)).isGreaterThanOrEqualTo(spacing.toNanos());
    }
  }

  @Test
  void aRequestDuringALookAsksForAnotherSoNoChangeIsMissed() throws InterruptedException {
    AtomicInteger looks = new AtomicInteger();
    AtomicBoolean requestedDuringFirst = new AtomicBoolean();
    ProvisionableLook[] self = new ProvisionableLook[1];
    try (ProvisionableLook look =
        new ProvisionableLook(
            () -> {
              if (looks.incrementAndGet() == 1) {
                // a NodeClaim deleted while the first look walks the pods
                self[0].request();
                requestedDuringFirst.set(true);
              }
              return false;
            },
            () -> {},
            Duration.ofMillis(50),
            System::nanoTime)) {
      self[0] = look;
      look.request();
      Eventually.await(Duration.ofSeconds(10), () -> looks.get() == 2, "a second look");
      assertThat(requestedDuringFirst).isTrue();
    }
  }

  @Test
  void triggersABatchOnlyWhenSomePodIsProvisionable() throws InterruptedException {
    AtomicBoolean provisionable = new AtomicBoolean(false);
    AtomicInteger looks = new AtomicInteger();
    AtomicInteger triggers = new AtomicInteger();
    try (ProvisionableLook look =
        new ProvisionableLook(
            () -> {
              looks.incrementAndGet();
              return provisionable.get();
            },
            triggers::incrementAndGet,
            Duration.ZERO,
            System::nanoTime)) {
      look.request();
      Eventually.await(Duration.ofSeconds(10), () -> looks.get() == 1, "a look");
      assertThat(triggers).hasValue(0);

      provisionable.set(true);
      look.request();
      Eventually.await(Duration.ofSeconds(10), () -> triggers.get() == 1, "a trigger");
    }
  }

  @Test
  void periodicLooksRunWithoutRequests() throws InterruptedException {
    AtomicInteger triggers = new AtomicInteger();
    try (ProvisionableLook look =
        new ProvisionableLook(
                () -> true, triggers::incrementAndGet, Duration.ofSeconds(1), System::nanoTime)
            .start(Duration.ofMillis(20))) {
      Eventually.await(Duration.ofSeconds(10), () -> triggers.get() >= 3, "periodic looks");
    }
  }

  @Test
  void aRequestAfterCloseIsIgnored() {
    ProvisionableLook look =
        new ProvisionableLook(() -> true, () -> {}, Duration.ZERO, System::nanoTime);
    look.close();

    // The provisioner closes while informer events still arrive: they must not throw there.
    assertThatCode(look::request).doesNotThrowAnyException();
    assertThatCode(look::request).doesNotThrowAnyException();
  }
}
