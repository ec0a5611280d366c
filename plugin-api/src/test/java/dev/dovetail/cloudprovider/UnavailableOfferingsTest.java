package dev.dovetail.cloudprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The one unavailable-offerings cache the core and the providers share. */
class UnavailableOfferingsTest {
  private static final OfferingKey M5_A_SPOT = new OfferingKey("m5.large", "us-east-1a", "spot");
  private static final OfferingKey M5_B_SPOT = new OfferingKey("m5.large", "us-east-1b", "spot");
  private static final OfferingKey M5_A_OD = new OfferingKey("m5.large", "us-east-1a", "on-demand");

  @Test
  void aMarkedOfferingIsUnavailableUntilItsTtlPasses() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    UnavailableOfferings cache = new UnavailableOfferings(clock);
    assertThat(cache.isEmpty()).isTrue();
    cache.markUnavailable(M5_A_SPOT);
    assertThat(cache.isEmpty()).isFalse();
    assertThat(cache.isUnavailable(M5_A_SPOT)).isTrue();
    assertThat(cache.isUnavailable("m5.large", "us-east-1a", "spot")).isTrue();
    assertThat(cache.isUnavailable(M5_B_SPOT)).isFalse();
    assertThat(cache.isUnavailable(M5_A_OD)).isFalse();

    clock.advance(UnavailableOfferings.DEFAULT_TTL.minusSeconds(1));
    assertThat(cache.isUnavailable(M5_A_SPOT)).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.isUnavailable(M5_A_SPOT)).isFalse();
    assertThat(cache.isEmpty()).isTrue(); // the expired entry went when read
  }

  @Test
  void markingAgainRestartsTheTtl() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    UnavailableOfferings cache = new UnavailableOfferings(clock, Duration.ofMinutes(1));
    cache.markUnavailable(List.of(M5_A_SPOT, M5_B_SPOT));
    clock.advance(Duration.ofSeconds(50));
    cache.markUnavailable(M5_A_SPOT);
    clock.advance(Duration.ofSeconds(20));
    assertThat(cache.isUnavailable(M5_A_SPOT)).isTrue();
    assertThat(cache.isUnavailable(M5_B_SPOT)).isFalse();
  }

  @Test
  void aStruckCapacityTypeMakesEveryOfferingOfItUnavailable() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    UnavailableOfferings cache = new UnavailableOfferings(clock);
    cache.markCapacityTypeUnavailable("spot");
    assertThat(cache.isUnavailable(M5_A_SPOT)).isTrue();
    assertThat(cache.isUnavailable(new OfferingKey("c7g.xlarge", "eu-west-1c", "spot"))).isTrue();
    assertThat(cache.isUnavailable(M5_A_OD)).isFalse();
    clock.advance(UnavailableOfferings.DEFAULT_TTL);
    assertThat(cache.isUnavailable(M5_A_SPOT)).isFalse();
  }

  @Test
  void theSequenceChangesWithEveryMark() {
    UnavailableOfferings cache =
        new UnavailableOfferings(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    long before = cache.sequence();
    cache.markUnavailable(M5_A_SPOT);
    long afterOne = cache.sequence();
    cache.markCapacityTypeUnavailable("spot");
    assertThat(afterOne).isGreaterThan(before);
    assertThat(cache.sequence()).isGreaterThan(afterOne);
  }

  @Test
  void aNegativeTtlIsRefusedByName() {
    assertThatThrownBy(
            () ->
                new UnavailableOfferings(
                    new MutableClock(Instant.parse("2026-01-01T00:00:00Z")),
                    Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TTL");
  }

  @Test
  void concurrentMarksAndReadsLoseNothing() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    UnavailableOfferings cache = new UnavailableOfferings(clock);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    try {
      for (int t = 0; t < 4; t++) {
        int thread = t;
        pool.submit(
            () -> {
              go.await();
              for (int i = 0; i < 500; i++) {
                cache.markUnavailable(new OfferingKey("type-" + thread + "-" + i, "z", "spot"));
                cache.isUnavailable(
                    new OfferingKey("type-" + ((thread + 1) % 4) + "-" + i, "z", "spot"));
              }
              return null;
            });
      }
      go.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    for (int t = 0; t < 4; t++) {
      for (int i = 0; i < 500; i++) {
        assertThat(cache.isUnavailable(new OfferingKey("type-" + t + "-" + i, "z", "spot")))
            .isTrue();
      }
    }
    assertThat(cache.sequence()).isEqualTo(2000);
  }
}
