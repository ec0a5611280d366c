package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the provisioning phase gives up: slow progress goes on, a stall fails. No clock used. */
class ProgressDeadlineTest {
  private static final long S = 1_000_000_000L;

  private static ProgressDeadline deadline() {
    return new ProgressDeadline(0, Duration.ofSeconds(120), Duration.ofSeconds(20));
  }

  @Test
  void withinTheTimeoutNothingExpires() {
    ProgressDeadline d = deadline();
    d.observe(1 * S, 0);
    assertThat(d.expired(119 * S)).isFalse();
  }

  @Test
  void aPhaseStillBindingPodsGoesOnPastTheTimeout() {
    ProgressDeadline d = deadline();
    d.observe(1 * S, 10);
    for (int t = 2; t <= 200; t++) {
      d.observe(t * S, 10 + t); // a pod bound every second: slow, not failing
      assertThat(d.expired(t * S)).as("at %ds", t).isFalse();
    }
  }

  @Test
  void aStalledPhaseFailsAtTheTimeout() {
    ProgressDeadline d = deadline();
    d.observe(1 * S, 10);
    d.observe(50 * S, 152); // then nothing more is bound
    d.observe(121 * S, 152);
    assertThat(d.expired(121 * S)).isTrue();
    assertThat(d.why(121 * S)).contains("no pod bound for 71s");
  }

  @Test
  void aPhaseThatStallsAfterAnExtensionFailsOnceTheStallWindowPasses() {
    ProgressDeadline d = deadline();
    d.observe(1 * S, 0);
    d.observe(130 * S, 200);
    assertThat(d.expired(140 * S)).isFalse();
    d.observe(151 * S, 200);
    assertThat(d.expired(151 * S)).isTrue();
  }

  @Test
  void aPhaseThatNeverBindsAPodFailsAtTheTimeout() {
    ProgressDeadline d = deadline();
    for (int t = 1; t <= 121; t++) {
      d.observe(t * S, 0);
    }
    assertThat(d.expired(121 * S)).isTrue();
  }

  @Test
  void aCrawlingPhaseStopsAtTheHardCap() {
    ProgressDeadline d = deadline();
    int bound = 0;
    long t = 0;
    for (; t <= 480 * S; t += S) {
      d.observe(t, bound++);
    }
    assertThat(d.expired(481 * S)).isTrue();
    assertThat(d.why(481 * S)).contains("hard cap");
  }
}
