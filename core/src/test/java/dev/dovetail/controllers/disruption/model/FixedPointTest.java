package dev.dovetail.controllers.disruption.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FixedPointTest {

  @Test
  void passesRunUntilOneFindsNothingAndNoPodIsLost() {
    FixedPoint.Result r =
        ConsolidationScenario.runToFixedPoint(
            60, 600, ConsolidationScenario.catalog(), "10%", 42, 100);

    assertThat(r.passes()).isGreaterThan(1).isLessThan(100);
    assertThat(r.podsLost()).isZero();
    assertThat(r.first().podsLost()).isZero();
    // more passes only ever save more: the fixed point is no dearer than after the first pass
    assertThat(r.costPerHour()).isLessThanOrEqualTo(r.first().costPerHourAfter() + 1e-9);
    assertThat(r.costPerHour()).isGreaterThanOrEqualTo(r.lowerBoundCostPerHour());
    assertThat(r.nodes()).isLessThan(60);
  }

  @Test
  void settlingFreesTheBudgetAndReleasesJustLaunchedReplacements() {
    ClusterModel model =
        ConsolidationScenario.build(20, 100, ConsolidationScenario.catalog(), "10%", 7);
    ClusterModel busy =
        new ClusterModel(
            model.nodes(),
            model.nodePools(),
            model.candidates().stream()
                .map(c -> c.node().equals("node-0") ? c.withBlockedReason("just launched") : c)
                .toList(),
            model.policies(),
            java.util.Map.of("default", new ClusterModel.PoolCounts(20, 5, Integer.MAX_VALUE)));
    ClusterModel settled = FixedPoint.settle(busy);

    assertThat(settled.counts("default").disrupting()).isZero();
    assertThat(settled.counts("default").totalNodes()).isEqualTo(20);
    assertThat(settled.candidates()).noneMatch(Candidate::blocked);
  }

  @Test
  void theLowerBoundPricesEveryPodAtTheBestRate() {
    ClusterModel model =
        ConsolidationScenario.build(10, 50, ConsolidationScenario.catalog(), "10%", 3);
    double bound = FixedPoint.lowerBound(model);
    assertThat(bound).isPositive().isLessThan(ModelUpdates.cost(model));
  }
}
