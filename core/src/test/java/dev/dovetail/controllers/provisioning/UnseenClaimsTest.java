package dev.dovetail.controllers.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnseenClaimsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
  private final UnseenClaims unseen = new UnseenClaims(clock, Duration.ofMinutes(2));

  @Test
  void claimsTheCacheHasNotShownReserveTheirPoolsLimits() {
    unseen.created("a", "pool", Resources.of("cpu", 4000L));
    unseen.created("b", "pool", Resources.of("cpu", 2000L));
    unseen.created("c", "other", Resources.of("cpu", 1000L));

    Map<String, Resources> reserved = unseen.reservedByPool(name -> false);

    assertThat(reserved.get("pool").get("cpu")).isEqualTo(6000L);
    assertThat(reserved.get("other").get("cpu")).isEqualTo(1000L);
  }

  @Test
  void aClaimSeenInTheCacheIsCountedThereOnlyAndForgotten() {
    unseen.created("a", "pool", Resources.of("cpu", 4000L));
    unseen.created("b", "pool", Resources.of("cpu", 2000L));

    assertThat(unseen.reservedByPool(Set.of("a")::contains).get("pool").get("cpu"))
        .isEqualTo(2000L);
    // Forgotten: even if the cache later drops it (deleted), it reserves nothing any more.
    assertThat(unseen.reservedByPool(name -> false).get("pool").get("cpu")).isEqualTo(2000L);
  }

  @Test
  void aClaimNeverSeenStopsReservingAfterTheTtl() {
    unseen.created("gone-before-cached", "pool", Resources.of("cpu", 4000L));
    clock.advance(Duration.ofMinutes(2).plusSeconds(1));

    assertThat(unseen.reservedByPool(name -> false)).isEmpty();
  }
}
