package dev.dovetail.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of {@code dovetail chaos} over all runs, and the invariants they break. */
record ChaosReport(
    int runs,
    long faultsInjected,
    int restarts,
    int podsLost,
    int leakedInstances,
    int duplicateInstances,
    int stuckNodeClaims,
    int unexplainedPending,
    double costOverCleanRun) {

  /** Issue 14: a run under faults ends within 5 % of the cost of the same run without them. */
  static final double MAX_COST_OVER_CLEAN_RUN = 0.05;

  static final ChaosReport EMPTY = new ChaosReport(0, 0, 0, 0, 0, 0, 0, 0, 0);

  /**
   * Adds one run; {@code costOverClean} is its cost relative to the fault-free run of the same
   * workload (0.03 = 3 % dearer); the report keeps the worst.
   */
  ChaosReport add(ChaosRun.Result r, double costOverClean) {
    return new ChaosReport(
        runs + 1,
        faultsInjected + r.faultsInjected(),
        restarts + r.restarts(),
        podsLost + r.podsLost(),
        leakedInstances + r.leakedInstances(),
        duplicateInstances + r.duplicateInstances(),
        stuckNodeClaims + r.stuckNodeClaims(),
        unexplainedPending + r.unexplainedPending(),
        Math.max(costOverCleanRun, costOverClean));
  }

  /** The invariants that failed against the 5 % cost bound, by name. */
  List<String> violations() {
    return violations(MAX_COST_OVER_CLEAN_RUN);
  }

  /**
   * The invariants that failed, by name (empty when all hold); {@code maxCostOverClean} is the cost
   * bound (0.05 = a run may end at most 5 % dearer than its fault-free run).
   */
  List<String> violations(double maxCostOverClean) {
    List<String> v = new ArrayList<>();
    if (podsLost > 0) {
      v.add("podsLost=" + podsLost + " (a desired pod is not bound to an existing node)");
    }
    if (leakedInstances > 0) {
      v.add("leakedInstances=" + leakedInstances + " (a cloud instance has no NodeClaim)");
    }
    if (duplicateInstances > 0) {
      v.add("duplicateInstances=" + duplicateInstances + " (a NodeClaim has several instances)");
    }
    if (stuckNodeClaims > 0) {
      v.add(
          "stuckNodeClaims="
              + stuckNodeClaims
              + " (not initialized, not deleted, or left tainted)");
    }
    if (unexplainedPending > 0) {
      v.add("unexplainedPending=" + unexplainedPending + " (a pending pod has no reason)");
    }
    if (costOverCleanRun > maxCostOverClean) {
      v.add(
          String.format(
              java.util.Locale.ROOT,
              "costOverCleanRun=%.4f (a run ended more than %.1f %% dearer than the fault-free"
                  + " run of its workload)",
              costOverCleanRun,
              100 * maxCostOverClean));
    }
    return v;
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runs", runs);
    m.put("faultsInjected", faultsInjected);
    m.put("restarts", restarts);
    m.put("podsLost", podsLost);
    m.put("leakedInstances", leakedInstances);
    m.put("duplicateInstances", duplicateInstances);
    m.put("stuckNodeClaims", stuckNodeClaims);
    m.put("unexplainedPending", unexplainedPending);
    m.put("costOverCleanRun", Math.round(costOverCleanRun * 10000) / 10000.0);
    return m;
  }
}
