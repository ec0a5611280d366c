package dev.dovetail.controllers.disruption.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllowedDisruptionsTest {
  @Test
  void eachPoolGetsItsBudgetPerVoluntaryReasonBeforeSubtractingDisruptingNodes() {
    PoolPolicy pool =
        PoolPolicy.defaults("a")
            .withBudgets(
                List.of(BudgetRule.of("50%"), new BudgetRule("0", List.of("Drifted"), null, null)));
    ClusterModel model =
        new ClusterModel(
            List.of(),
            List.of(),
            List.of(),
            Map.of("a", pool, "b", PoolPolicy.defaults("b")),
            Map.of(
                "a", new ClusterModel.PoolCounts(10, 3, Integer.MAX_VALUE),
                "b", new ClusterModel.PoolCounts(20, 0, Integer.MAX_VALUE)));

    Map<List<String>, Integer> allowed = AllowedDisruptions.of(model, Instant.EPOCH);

    assertThat(allowed)
        .containsEntry(List.of("a", "Drifted"), 0)
        .containsEntry(List.of("a", "Empty"), 5)
        .containsEntry(List.of("a", "Underutilized"), 5)
        // the default budget is 10% of the pool's nodes
        .containsEntry(List.of("b", "Empty"), 2)
        .hasSize(6);
  }
}
