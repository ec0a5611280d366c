package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiRateLimiterTest {
  @Test
  void burstPassesThenCallersArePacedPerApi() {
    MutableClock clock = new MutableClock(Instant.parse("2025-11-20T12:00:00Z"));
    List<Long> waits = new ArrayList<>();
    ApiRateLimiter limiter =
        new ApiRateLimiter(
            10,
            5,
            clock,
            nanos -> {
              waits.add(nanos);
              clock.advance(Duration.ofNanos(nanos));
            });

    for (int i = 0; i < 5; i++) {
      limiter.acquire("ec2:CreateFleet");
    }
    assertThat(waits).isEmpty();

    // The sixth call waits for one token at 10/s: 100 ms.
    limiter.acquire("ec2:CreateFleet");
    assertThat(waits).containsExactly(100_000_000L);

    // Another API has its own bucket: a CreateFleet storm does not stall DescribeInstances.
    limiter.acquire("ec2:DescribeInstances");
    assertThat(waits).hasSize(1);

    // Tokens refill with time.
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tokens("ec2:CreateFleet")).isEqualTo(5.0);
  }

  @Test
  void concurrentCallersAreSpreadOutRatherThanReleasedTogether() {
    MutableClock clock = new MutableClock(Instant.parse("2025-11-20T12:00:00Z"));
    List<Long> waits = new ArrayList<>();
    ApiRateLimiter limiter = new ApiRateLimiter(20, 1, clock, waits::add); // nobody advances time
    for (int i = 0; i < 5; i++) {
      limiter.acquire("ec2:CreateFleet");
    }
    // Each queued caller gets its own slot 50 ms after the previous one.
    assertThat(waits).containsExactly(50_000_000L, 100_000_000L, 150_000_000L, 200_000_000L);
  }
}
