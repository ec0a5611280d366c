package dev.dovetail.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong now = new AtomicLong();
  private final AtomicLong slept = new AtomicLong();

  /** A bucket on fake time, whose waits advance that time. */
  private TokenBucket bucket(double perSecond, int burst) {
    return new TokenBucket(
        perSecond,
        burst,
        now::get,
        nanos -> {
          slept.addAndGet(nanos);
          now.addAndGet(nanos);
        });
  }

  private static int taken(TokenBucket bucket, int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      n += bucket.tryTake() ? 1 : 0;
    }
    return n;
  }

  @Test
  void tryTakeDropsBeyondTheBurstThenRefillsAtTheRate() {
    TokenBucket nominations = bucket(5, 10);
    assertThat(taken(nominations, 1_000)).as("a pass over 1,000 pods at once").isEqualTo(10);

    now.addAndGet(200_000_000L); // 0.2 s: one token back
    assertThat(taken(nominations, 100)).isEqualTo(1);

    now.addAndGet(60_000_000_000L); // a quiet minute refills the bucket, no more than the burst
    assertThat(taken(nominations, 100)).isEqualTo(10);
    assertThat(slept.get()).as("tryTake never waits").isZero();
  }

  @Test
  void acquirePassesTheBurstAtOnceAndPacesTheRestAtTheRate() throws Exception {
    TokenBucket creates = bucket(10, 5);
    for (int i = 0; i < 5; i++) {
      creates.acquire();
    }
    assertThat(slept.get()).as("the burst waits for nothing").isZero();
    for (int i = 0; i < 20; i++) {
      creates.acquire();
    }
    // 20 more at 10 per second: two seconds of (fake) waiting, give or take rounding.
    assertThat(slept.get()).isBetween(1_999_000_000L, 2_001_000_000L);
  }

  @Test
  void aRateOrBurstThatTakesNothingIsRefused() {
    assertThatThrownBy(() -> bucket(0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rate");
    assertThatThrownBy(() -> bucket(Double.NaN, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> bucket(5, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
