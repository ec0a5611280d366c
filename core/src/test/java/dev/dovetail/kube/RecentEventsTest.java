package dev.dovetail.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentEventsTest {
  private final Instant t0 = Instant.parse("2026-12-03T12:00:00Z");

  @Test
  void anEventIsPublishedOncePerWindow() {
    RecentEvents recent = new RecentEvents(Duration.ofMinutes(5), 100);
    assertThat(recent.fresh("Pod/a/Nominated/x", t0)).isTrue();
    assertThat(recent.fresh("Pod/a/Nominated/x", t0.plusSeconds(299))).isFalse();
    assertThat(recent.fresh("Pod/a/Nominated/y", t0.plusSeconds(299)))
        .as("another message")
        .isTrue();
    assertThat(recent.fresh("Pod/a/Nominated/x", t0.plusSeconds(300))).as("window over").isTrue();
  }

  @Test
  void whatLeftTheWindowIsForgottenAndNeverMoreThanTheCapacityIsKept() {
    RecentEvents recent = new RecentEvents(Duration.ofMinutes(5), 1_000);
    for (int i = 0; i < 5_000; i++) {
      assertThat(recent.fresh("Pod/p-" + i + "/Nominated/x", t0.plusMillis(i))).isTrue();
      assertThat(recent.size()).isLessThanOrEqualTo(1_000);
    }
    // the newest are still deduplicated, the oldest were let go past the capacity
    assertThat(recent.fresh("Pod/p-4999/Nominated/x", t0.plusSeconds(10))).isFalse();
    assertThat(recent.fresh("Pod/p-0/Nominated/x", t0.plusSeconds(10))).isTrue();

    // one call after the window drops everything older at the head
    assertThat(recent.fresh("Pod/late/Nominated/x", t0.plusSeconds(400))).isTrue();
    assertThat(recent.size()).isEqualTo(1);
  }
}
