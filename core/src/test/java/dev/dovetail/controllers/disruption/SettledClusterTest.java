package dev.dovetail.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.controllers.disruption.model.BudgetRule;
import dev.dovetail.controllers.disruption.model.CronSchedule;
import dev.dovetail.controllers.disruption.model.PoolPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettledClusterTest {
  private static final Instant NINE_THIRTY = Instant.parse("2026-12-02T09:30:00Z");

  private static SettledCluster.Inputs inputs(long generation, Instant at) {
    PoolPolicy pool =
        PoolPolicy.defaults("default")
            .withBudgets(
                List.of(
                    new BudgetRule(
                        "0", List.of(), CronSchedule.parse("0 9 * * *"), Duration.ofHours(1))));
    return new SettledCluster.Inputs(
        generation, SettledCluster.activeBudgets(List.of(pool), at), Map.of(), Set.of());
  }

  @Test
  void theSameInputsAreUnchangedUntilTheRecheckIsDue() {
    SettledCluster settled = new SettledCluster();
    assertThat(settled.unchanged(inputs(7, NINE_THIRTY), NINE_THIRTY)).isFalse(); // never settled
    settled.settle(inputs(7, NINE_THIRTY), NINE_THIRTY);
    Instant soon = NINE_THIRTY.plusSeconds(10);
    assertThat(settled.unchanged(inputs(7, soon), soon)).isTrue();
    Instant late = NINE_THIRTY.plus(SettledCluster.RECHECK);
    assertThat(settled.unchanged(inputs(7, late), late)).isFalse();
  }

  @Test
  void aClusterEventOrAnythingTheClockMovesUnsettles() {
    SettledCluster settled = new SettledCluster();
    settled.settle(inputs(7, NINE_THIRTY), NINE_THIRTY);
    Instant soon = NINE_THIRTY.plusSeconds(10);
    assertThat(settled.unchanged(inputs(8, soon), soon)).as("an informer event").isFalse();
    SettledCluster.Inputs resting =
        new SettledCluster.Inputs(7, inputs(7, soon).activeBudgets(), Map.of(), Set.of("claim-a"));
    assertThat(settled.unchanged(resting, soon)).as("a candidate backing off").isFalse();
    SettledCluster.Inputs evicted =
        new SettledCluster.Inputs(
            7, inputs(7, soon).activeBudgets(), Map.of("default", 3), Set.of());
    assertThat(settled.unchanged(evicted, soon)).as("evictions in the window").isFalse();
    settled.unsettle();
    assertThat(settled.unchanged(inputs(7, soon), soon)).isFalse();
  }

  @Test
  void aBudgetWindowClosingChangesTheInputsWithoutAnEvent() {
    SettledCluster settled = new SettledCluster();
    Instant nineFiftyEight = Instant.parse("2026-12-02T09:58:00Z"); // in the 09:00-10:00 window
    settled.settle(inputs(7, nineFiftyEight), nineFiftyEight);
    Instant nineFiftyNine = Instant.parse("2026-12-02T09:59:00Z");
    assertThat(settled.unchanged(inputs(7, nineFiftyNine), nineFiftyNine)).isTrue();
    Instant tenOhOne = Instant.parse("2026-12-02T10:01:00Z"); // closed, within RECHECK
    assertThat(inputs(7, tenOhOne).activeBudgets()).isEqualTo(Map.of("default", List.of(false)));
    assertThat(settled.unchanged(inputs(7, tenOhOne), tenOhOne)).isFalse();
  }
}
