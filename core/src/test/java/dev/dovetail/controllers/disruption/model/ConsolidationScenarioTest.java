package dev.dovetail.controllers.disruption.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsolidationScenarioTest {
  @Test
  void aPassSavesMoneyWithinTheBudgetAndLosesNoPod() {
    var r = ConsolidationScenario.run(60, 600, ConsolidationScenario.catalog(), "10%", 7);
    assertThat(r.nodes()).isEqualTo(60);
    assertThat(r.pods()).isEqualTo(600);
    assertThat(r.podsLost()).isZero();
    assertThat(r.commands()).isPositive();
    assertThat(r.nodesRemoved()).isBetween(1, 6); // 10% of 60
    assertThat(r.costPerHourAfter()).isLessThan(r.costPerHourBefore());
  }

  @Test
  void anUnlimitedBudgetSavesMore() {
    var tight = ConsolidationScenario.run(40, 400, ConsolidationScenario.catalog(), "10%", 3);
    var open = ConsolidationScenario.run(40, 400, ConsolidationScenario.catalog(), "100%", 3);
    assertThat(open.podsLost()).isZero();
    assertThat(open.costPerHourAfter()).isLessThan(tight.costPerHourAfter());
  }
}
