package dev.dovetail.controllers.disruption.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One {@code spec.disruption.budgets[]} entry: at most {@code nodes} (a count or a percentage of
 * the pool's nodes, rounded up as upstream does) disrupted at once, for the listed reasons (all
 * when empty), while the schedule's window is open (always when there is no schedule).
 */
public record BudgetRule(
    String nodes, List<String> reasons, CronSchedule schedule, Duration duration) {

  public BudgetRule {
    Objects.requireNonNull(nodes, "nodes");
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    if ((schedule == null) != (duration == null)) {
      throw new IllegalArgumentException("schedule and duration go together");
    }
  }

  public static BudgetRule of(String nodes) {
    return new BudgetRule(nodes, List.of(), null, null);
  }

  public boolean appliesTo(Method method) {
    return reasons.isEmpty() || reasons.contains(method.budgetReason());
  }

  public boolean activeAt(Instant now) {
    return schedule == null || schedule.activeAt(now, duration);
  }

  /** How many of {@code totalNodes} this budget lets be disrupting at once. */
  public int limit(int totalNodes) {
    String n = nodes.trim();
    if (n.endsWith("%")) {
      int pct = Integer.parseInt(n.substring(0, n.length() - 1));
      return (int) Math.ceil(totalNodes * pct / 100.0);
    }
    return Integer.parseInt(n);
  }
}
