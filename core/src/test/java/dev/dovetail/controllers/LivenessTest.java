package dev.dovetail.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LivenessTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final Liveness liveness = new Liveness(now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aPassRunningTooLongMakesTheProcessNotAlive() {
    Liveness.Loop provisioner = liveness.loop("provisioner", Duration.ofMinutes(5), null);
    provisioner.begin();
    advance(Duration.ofMinutes(4));
    assertThat(liveness.check().alive()).isTrue();
    advance(Duration.ofMinutes(2));
    Liveness.Verdict v = liveness.check();
    assertThat(v.alive()).isFalse();
    assertThat(v.message()).contains("provisioner");
    provisioner.end();
    assertThat(liveness.check().alive()).isTrue();
  }

  @Test
  void aPeriodicLoopThatStoppedPassingIsNotAlive() {
    Liveness.Loop disruption =
        liveness.loop("disruption", Duration.ofMinutes(5), Duration.ofMinutes(1));
    disruption.pass(() -> {});
    advance(Duration.ofSeconds(50));
    assertThat(liveness.check().alive()).isTrue();
    advance(Duration.ofSeconds(20));
    assertThat(liveness.check().message()).contains("disruption: no pass");
    disruption.pass(() -> {});
    assertThat(liveness.check().alive()).isTrue();
  }

  @Test
  void anEventDrivenLoopMayBeIdleForever() {
    liveness.loop("provisioner", Duration.ofMinutes(5), null).pass(() -> {});
    advance(Duration.ofDays(2));
    assertThat(liveness.check().alive()).isTrue();
  }
}
