package dev.dovetail.controllers.disruption.model;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Karpenter's {@code karpenter_nodepools_allowed_disruptions}: for each NodePool and each voluntary
 * disruption reason ({@code Drifted}, {@code Empty}, {@code Underutilized}), how many of its nodes
 * its budgets let be disrupting at once now, before subtracting the nodes already disrupting (as
 * upstream reports it). {@link Integer#MAX_VALUE} when no budget applies.
 */
public final class AllowedDisruptions {
  private static final Set<Method> BY_REASON =
      EnumSet.of(Method.DRIFT, Method.EMPTINESS, Method.SINGLE_NODE_CONSOLIDATION);

  private AllowedDisruptions() {}

  /** Keyed by {@code [nodePool, reason]}. */
  public static Map<List<String>, Integer> of(ClusterModel model, Instant now) {
    Set<String> pools = new TreeSet<>(model.policies().keySet());
    pools.addAll(model.pools().keySet());
    Map<List<String>, Integer> out = new LinkedHashMap<>();
    for (String pool : pools) {
      int total = model.counts(pool).totalNodes();
      for (Method m : BY_REASON) {
        out.put(
            List.of(pool, m.budgetReason()),
            model.policy(pool).allowedDisruptions(m, now, total, 0));
      }
    }
    return out;
  }
}
