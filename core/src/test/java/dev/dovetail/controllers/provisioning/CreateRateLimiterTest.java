package dev.dovetail.controllers.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CreateRateLimiterTest {
  @Test
  void aBurstPassesAtOnceAndTheRestIsPacedAtTheRate() throws Exception {
    AtomicLong now = new AtomicLong();
    AtomicLong slept = new AtomicLong();
    CreateRateLimiter limiter =
        new CreateRateLimiter(
            10,
            5,
            now::get,
            nanos -> {
              slept.addAndGet(nanos);
              now.addAndGet(nanos);
            });
    for (int i = 0; i < 5; i++) {
      limiter.acquire();
    }
    assertThat(slept.get()).as("the burst waits for nothing").isZero();
    for (int i = 0; i < 20; i++) {
      limiter.acquire();
    }
    // 20 more at 10 per second: two seconds of (fake) waiting, give or take rounding.
    assertThat(slept.get()).isBetween(1_999_000_000L, 2_001_000_000L);
  }
}
