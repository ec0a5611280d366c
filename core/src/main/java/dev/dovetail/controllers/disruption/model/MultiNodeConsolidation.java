package dev.dovetail.controllers.disruption.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Upstream's MultiNodeConsolidation: the longest prefix (cheapest to disrupt first, at most {@link
 * DisruptionPlanner#MULTI_NODE_MAX_CANDIDATES}) of underutilized nodes that can be deleted together
 * with at most one cheaper replacement, found by binary search within a time limit.
 */
public final class MultiNodeConsolidation implements DisruptionMethod {
  private final Consolidation consolidation;
  private final Duration timeout;
  private final LongSupplier nanoTime;

  MultiNodeConsolidation(Consolidation consolidation, Duration timeout, LongSupplier nanoTime) {
    this.consolidation = consolidation;
    this.timeout = timeout;
    this.nanoTime = nanoTime;
  }

  @Override
  public Method method() {
    return Method.MULTI_NODE_CONSOLIDATION;
  }

  @Override
  public Optional<Command> computeCommand(
      ClusterModel model, Instant now, Map<String, String> rejected) {
    List<Candidate> all = consolidation.candidates(model, now, rejected);
    Budget budget = new Budget(model, Method.MULTI_NODE_CONSOLIDATION, now);
    List<Candidate> eligible = new ArrayList<>();
    Map<String, String> ignored = new HashMap<>();
    for (Candidate c : all) {
      if (eligible.size() >= DisruptionPlanner.MULTI_NODE_MAX_CANDIDATES) {
        break;
      }
      if (budget.take(c, ignored)) {
        eligible.add(c);
      }
    }
    if (eligible.size() < 2) {
      return Optional.empty();
    }
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    // Binary search for the longest prefix (by disruption cost) that consolidates; like upstream,
    // a search over prefixes rather than all subsets.
    int lo = 2;
    int hi = eligible.size();
    Command best = null;
    while (lo <= hi) {
      if (nanoTime.getAsLong() > deadline) {
        break;
      }
      int mid = (lo + hi) >>> 1;
      Consolidation.Evaluation e =
          consolidation.evaluate(model, eligible.subList(0, mid), Method.MULTI_NODE_CONSOLIDATION);
      if (e.command() != null) {
        best = e.command();
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return Optional.ofNullable(best);
  }
}
