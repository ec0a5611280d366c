package dev.dovetail.controllers.disruption;

import dev.dovetail.apis.v1.Budget;
import dev.dovetail.apis.v1.Disruption;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.controllers.disruption.model.BudgetRule;
import dev.dovetail.controllers.disruption.model.CronSchedule;
import dev.dovetail.controllers.disruption.model.PoolPolicy;
import dev.dovetail.kube.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a NodePool's {@code spec.disruption} (consolidation policy and delay, budgets with their
 * schedules, minimum savings, eviction rate limit) and {@code spec.replicas} into the
 * Kubernetes-free {@link PoolPolicy} the planner reads.
 */
final class PoolPolicies {
  private PoolPolicies() {}

  /** The NodePool's disruption settings; an invalid budget blocks rather than allows. */
  static PoolPolicy of(NodePool pool) {
    Disruption d = pool.getSpec().getDisruption();
    String name = pool.getMetadata().getName();
    if (d == null) {
      return PoolPolicy.defaults(name).withReplicas(pool.getSpec().getReplicas());
    }
    Duration after =
        d.getConsolidateAfter() == null
            ? Duration.ZERO
            : Durations.parse(d.getConsolidateAfter()).orElse(null);
    List<BudgetRule> budgets = new ArrayList<>();
    if (d.getBudgets() != null) {
      for (Budget b : d.getBudgets()) {
        try {
          budgets.add(
              new BudgetRule(
                  b.getNodes() == null ? "10%" : b.getNodes(),
                  b.getReasons(),
                  b.getSchedule() == null ? null : CronSchedule.parse(b.getSchedule()),
                  Durations.parse(b.getDuration()).orElse(null)));
        } catch (RuntimeException e) {
          // an invalid budget blocks rather than allows: the API validation should have refused it
          budgets.add(BudgetRule.of("0"));
        }
      }
    }
    double pct = 0;
    double perHour = 0;
    if (d.getMinimumSavings() != null) {
      if (d.getMinimumSavings().getPercent() != null) {
        pct = d.getMinimumSavings().getPercent();
      }
      if (d.getMinimumSavings().getPerHour() != null) {
        perHour = Double.parseDouble(d.getMinimumSavings().getPerHour());
      }
    }
    int evictions = 0;
    Duration period = Duration.ZERO;
    if (d.getEvictionRateLimit() != null && d.getEvictionRateLimit().getPods() != null) {
      evictions = d.getEvictionRateLimit().getPods();
      period = Durations.parse(d.getEvictionRateLimit().getPeriod()).orElse(Duration.ofHours(1));
    }
    return new PoolPolicy(
        name,
        d.getConsolidationPolicy(),
        after,
        budgets.isEmpty() && d.getBudgets() == null ? null : budgets,
        pct,
        perHour,
        evictions,
        period,
        pool.getSpec() == null ? null : pool.getSpec().getReplicas());
  }
}
