package dev.dovetail.controllers.disruption.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static boolean at(String cron, String instant) {
    return CronSchedule.parse(cron).matches(Instant.parse(instant).atZone(ZoneOffset.UTC));
  }

  @Test
  void fieldsRangesStepsListsAndNames() {
    assertThat(at("*/15 * * * *", "2026-01-05T10:30:00Z")).isTrue();
    assertThat(at("*/15 * * * *", "2026-01-05T10:31:00Z")).isFalse();
    assertThat(at("0 9-17 * * 1-5", "2026-01-05T12:00:00Z")).isTrue(); // Monday
    assertThat(at("0 9-17 * * 1-5", "2026-01-10T12:00:00Z")).isFalse(); // Saturday
    assertThat(at("0 0 * * sun", "2026-01-11T00:00:00Z")).isTrue();
    assertThat(at("0 0 * * 7", "2026-01-11T00:00:00Z")).isTrue();
    assertThat(at("0 0 1,15 jan *", "2026-01-15T00:00:00Z")).isTrue();
    assertThat(at("0 0 1,15 jan *", "2026-02-15T00:00:00Z")).isFalse();
    // both day fields restricted: either matches
    assertThat(at("0 0 13 * fri", "2026-01-09T00:00:00Z")).isTrue(); // a Friday, not the 13th
    assertThat(at("0 0 13 * fri", "2026-01-13T00:00:00Z")).isTrue(); // the 13th, a Tuesday
  }

  @Test
  void macros() {
    assertThat(at("@daily", "2026-03-03T00:00:00Z")).isTrue();
    assertThat(at("@hourly", "2026-03-03T07:00:00Z")).isTrue();
    assertThat(at("@weekly", "2026-01-11T00:00:00Z")).isTrue();
    assertThat(at("@yearly", "2026-01-01T00:00:00Z")).isTrue();
    assertThat(at("@monthly", "2026-01-02T00:00:00Z")).isFalse();
  }

  @Test
  void windowIsOpenForDurationAfterEachHit() {
    CronSchedule daily = CronSchedule.parse("@daily");
    assertThat(daily.activeAt(Instant.parse("2026-01-05T00:00:00Z"), Duration.ofHours(1))).isTrue();
    assertThat(daily.activeAt(Instant.parse("2026-01-05T00:59:00Z"), Duration.ofHours(1))).isTrue();
    assertThat(daily.activeAt(Instant.parse("2026-01-05T01:00:00Z"), Duration.ofHours(1)))
        .isFalse();
    assertThat(daily.activeAt(Instant.parse("2026-01-04T23:59:00Z"), Duration.ofHours(1)))
        .isFalse();
  }

  @Test
  void rejectsBadExpressions() {
    assertThatThrownBy(() -> CronSchedule.parse("* * *"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CronSchedule.parse("61 * * * *"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
