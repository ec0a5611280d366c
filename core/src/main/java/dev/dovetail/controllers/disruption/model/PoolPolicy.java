package dev.dovetail.controllers.disruption.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A NodePool's disruption settings, parsed.
 *
 * @param name the NodePool
 * @param consolidationPolicy {@code WhenEmpty}, {@code WhenEmptyOrUnderutilized} or {@code
 *     Balanced}
 * @param consolidateAfter how long a node must stay consolidatable; null means {@code Never}
 * @param budgets the budgets (upstream default: one of 10%)
 * @param minimumSavingsPercent Dovetail extension: a consolidation must save at least this share of
 *     the candidates' price (0 = upstream behaviour)
 * @param minimumSavingsPerHour Dovetail extension: ... and at least this many dollars per hour (0 =
 *     upstream behaviour)
 * @param evictionLimit Dovetail extension: at most this many pods moved by voluntary disruption per
 *     {@code evictionPeriod}; 0 = unlimited (upstream behaviour)
 * @param evictionPeriod the window of {@code evictionLimit}
 * @param replicas {@code spec.replicas} of a static NodePool, or null for a dynamic one (static
 *     pools are never consolidated; their drifted nodes are replaced by {@link StaticDrift})
 */
public record PoolPolicy(
    String name,
    String consolidationPolicy,
    Duration consolidateAfter,
    List<BudgetRule> budgets,
    double minimumSavingsPercent,
    double minimumSavingsPerHour,
    int evictionLimit,
    Duration evictionPeriod,
    Long replicas) {

  /** A dynamic NodePool's policy. */
  public PoolPolicy(
      String name,
      String consolidationPolicy,
      Duration consolidateAfter,
      List<BudgetRule> budgets,
      double minimumSavingsPercent,
      double minimumSavingsPerHour,
      int evictionLimit,
      Duration evictionPeriod) {
    this(
        name,
        consolidationPolicy,
        consolidateAfter,
        budgets,
        minimumSavingsPercent,
        minimumSavingsPerHour,
        evictionLimit,
        evictionPeriod,
        null);
  }

  public PoolPolicy {
    budgets = budgets == null ? List.of(BudgetRule.of("10%")) : List.copyOf(budgets);
    consolidationPolicy =
        consolidationPolicy == null ? "WhenEmptyOrUnderutilized" : consolidationPolicy;
  }

  /** Upstream defaults: WhenEmptyOrUnderutilized, consolidateAfter 0s, one budget of 10%. */
  public static PoolPolicy defaults(String name) {
    return new PoolPolicy(
        name, "WhenEmptyOrUnderutilized", Duration.ZERO, null, 0, 0, 0, Duration.ZERO);
  }

  public PoolPolicy withBudgets(List<BudgetRule> b) {
    return new PoolPolicy(
        name,
        consolidationPolicy,
        consolidateAfter,
        b,
        minimumSavingsPercent,
        minimumSavingsPerHour,
        evictionLimit,
        evictionPeriod,
        replicas);
  }

  public PoolPolicy withConsolidateAfter(Duration d) {
    return new PoolPolicy(
        name,
        consolidationPolicy,
        d,
        budgets,
        minimumSavingsPercent,
        minimumSavingsPerHour,
        evictionLimit,
        evictionPeriod,
        replicas);
  }

  public PoolPolicy withMinimumSavings(double percent, double perHour) {
    return new PoolPolicy(
        name,
        consolidationPolicy,
        consolidateAfter,
        budgets,
        percent,
        perHour,
        evictionLimit,
        evictionPeriod,
        replicas);
  }

  public PoolPolicy withEvictionLimit(int pods, Duration period) {
    return new PoolPolicy(
        name,
        consolidationPolicy,
        consolidateAfter,
        budgets,
        minimumSavingsPercent,
        minimumSavingsPerHour,
        pods,
        period,
        replicas);
  }

  public PoolPolicy withConsolidationPolicy(String policy) {
    return new PoolPolicy(
        name,
        policy,
        consolidateAfter,
        budgets,
        minimumSavingsPercent,
        minimumSavingsPerHour,
        evictionLimit,
        evictionPeriod,
        replicas);
  }

  public PoolPolicy withReplicas(Long r) {
    return new PoolPolicy(
        name,
        consolidationPolicy,
        consolidateAfter,
        budgets,
        minimumSavingsPercent,
        minimumSavingsPerHour,
        evictionLimit,
        evictionPeriod,
        r);
  }

  /** Whether the NodePool is static ({@code spec.replicas} set): never consolidated. */
  public boolean isStatic() {
    return replicas != null;
  }

  /** Whether underutilized (non-empty) nodes may be consolidated. */
  public boolean consolidatesUnderutilized() {
    return !"WhenEmpty".equals(consolidationPolicy);
  }

  /** Whether the candidate has been consolidatable for {@code consolidateAfter}. */
  public boolean consolidatable(Candidate c, Instant now) {
    if (consolidateAfter == null || c.consolidatableSince() == null) {
      return false;
    }
    return !now.isBefore(c.consolidatableSince().plus(consolidateAfter));
  }

  /**
   * How many more nodes of this pool may start being disrupted by {@code method}: the most
   * restrictive active budget that applies, minus the nodes already disrupting.
   */
  public int allowedDisruptions(Method method, Instant now, int totalNodes, int disrupting) {
    int allowed = Integer.MAX_VALUE;
    for (BudgetRule b : budgets) {
      if (b.appliesTo(method) && b.activeAt(now)) {
        allowed = Math.min(allowed, b.limit(totalNodes));
      }
    }
    if (allowed == Integer.MAX_VALUE) {
      return Integer.MAX_VALUE;
    }
    return Math.max(0, allowed - disrupting);
  }

  /** Whether saving {@code before - after} per hour clears this pool's minimum-savings bar. */
  public boolean savesEnough(double before, double after) {
    double saving = before - after;
    if (minimumSavingsPerHour > 0 && saving + 1e-9 < minimumSavingsPerHour) {
      return false;
    }
    return !(minimumSavingsPercent > 0
        && before > 0
        && saving / before * 100 + 1e-9 < minimumSavingsPercent);
  }
}
