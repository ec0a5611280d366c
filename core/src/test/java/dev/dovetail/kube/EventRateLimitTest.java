package dev.dovetail.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventRateLimitTest {
  private final AtomicLong now = new AtomicLong();
  private final EventRateLimit limit = new EventRateLimit(5, 10, now::get);

  private int taken(int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      n += limit.tryTake() ? 1 : 0;
    }
    return n;
  }

  @Test
  void aBurstTakesTenThenFiveASecond() {
    assertThat(taken(1_000)).as("a pass over 1,000 pods at once").isEqualTo(10);

    now.addAndGet(200_000_000L); // 0.2 s: one token back
    assertThat(taken(100)).isEqualTo(1);

    now.addAndGet(60_000_000_000L); // a quiet minute refills the bucket, no more than the burst
    assertThat(taken(100)).isEqualTo(10);
  }

  @Test
  void aRateOrBurstThatTakesNothingIsRefused() {
    assertThatThrownBy(() -> new EventRateLimit(0, 10, now::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rate");
    assertThatThrownBy(() -> new EventRateLimit(5, 0, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
