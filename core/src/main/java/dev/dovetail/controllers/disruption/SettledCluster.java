package dev.dovetail.controllers.disruption;

import dev.dovetail.controllers.disruption.model.BudgetRule;
import dev.dovetail.controllers.disruption.model.PoolPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Remembers the inputs of the last disruption pass that found nothing to do, so that the next
 * passes can skip building the cluster model and re-simulating every candidate while none of them
 * changed (upstream's cluster-state "consolidated" mark). The cluster state's generation covers
 * every watched object (pods, nodes, NodeClaims, NodePools, PDBs, ...); what moves with the clock
 * alone is part of the inputs too: which budget rules are active (a cron window opening), the pods
 * already evicted within each pool's eviction window, the candidates resting after a failed
 * replacement. A settled mark lapses after {@link #RECHECK} anyway, as upstream's does after five
 * minutes, for whatever else moves without a cluster event (the provider's prices and offerings,
 * the disruption cost's ranking by node age).
 */
final class SettledCluster {
  /** Upstream re-checks a consolidated cluster at least this often. */
  static final Duration RECHECK = Duration.ofMinutes(5);

  /**
   * What a pass plans from, apart from the objects in the cluster state.
   *
   * @param generation the cluster state's event count when the pass began
   * @param activeBudgets per NodePool, which of its budget rules are active now
   * @param evictionsUsed pods evicted within each pool's eviction window
   * @param blocked candidates held back (backoff, protected replacements)
   */
  record Inputs(
      long generation,
      Map<String, List<Boolean>> activeBudgets,
      Map<String, Integer> evictionsUsed,
      Set<String> blocked) {}

  private Inputs settled;
  private Instant settledAt;

  /** Which of each pool's budget rules are active at {@code now}. */
  static Map<String, List<Boolean>> activeBudgets(List<PoolPolicy> policies, Instant now) {
    Map<String, List<Boolean>> out = new java.util.HashMap<>();
    for (PoolPolicy p : policies) {
      List<Boolean> active = new java.util.ArrayList<>();
      for (BudgetRule b : p.budgets()) {
        active.add(b.activeAt(now));
      }
      out.put(p.name(), active);
    }
    return out;
  }

  /** Whether the last pass found nothing to do with exactly these inputs, recently enough. */
  boolean unchanged(Inputs inputs, Instant now) {
    return settled != null && settled.equals(inputs) && now.isBefore(settledAt.plus(RECHECK));
  }

  /** A pass with these inputs planned nothing, with nothing in flight. */
  void settle(Inputs inputs, Instant now) {
    settled = inputs;
    settledAt = now;
  }

  /** A pass planned or carried out something: the next one plans again. */
  void unsettle() {
    settled = null;
    settledAt = null;
  }
}
