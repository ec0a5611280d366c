package dev.dovetail.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CandidateBackoffTest {
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void doublesPerFailureUpToTheCapAndIsPerCandidate() {
    CandidateBackoff b = new CandidateBackoff();
    assertThat(b.failed("a", t0)).isEqualTo(t0.plus(CandidateBackoff.INITIAL));
    assertThat(b.failed("a", t0)).isEqualTo(t0.plus(CandidateBackoff.INITIAL.multipliedBy(2)));
    assertThat(b.failed("a", t0)).isEqualTo(t0.plus(CandidateBackoff.INITIAL.multipliedBy(4)));
    for (int i = 0; i < 30; i++) {
      b.failed("a", t0);
    }
    assertThat(b.failed("a", t0)).isEqualTo(t0.plus(CandidateBackoff.MAX));
    assertThat(b.resting(t0)).containsOnlyKeys("a"); // b was never tried
    assertThat(b.failed("b", t0)).isEqualTo(t0.plus(CandidateBackoff.INITIAL));
    assertThat(b.resting(t0.plus(Duration.ofMinutes(2)))).containsOnlyKeys("a");
    b.forget("a");
    assertThat(b.resting(t0)).containsOnlyKeys("b");
    assertThat(b.failures("a")).isZero();
  }
}
