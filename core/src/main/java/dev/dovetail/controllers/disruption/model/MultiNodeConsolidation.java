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
 * with at most one cheaper replacement, found by binary search within a time limit (none when the
 * timeout is null).
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
    long deadline = timeout == null ? 0 : nanoTime.getAsLong() + timeout.toNanos();
    // Binary search for the longest prefix (by disruption cost) that consolidates; like upstream,
    // a search over prefixes rather than all subsets.
    int lo = 2;
    int hi = eligible.size();
    Command best = null;
    while (lo <= hi) {
      if (timeout != null && nanoTime.getAsLong() > deadline) {
        break;
      }
      int mid = (lo + hi) >>> 1;
      List<Candidate> prefix = eligible.subList(0, mid);
      // the search keeps only whether a prefix consolidates, not why not: a prefix whose pods
      // certainly need more than existing room and one new node is answered without a solve
      Consolidation.Evaluation e =
          consolidation.certainlyNoCommand(model, prefix)
              ? new Consolidation.Evaluation(null, null)
              : consolidation.evaluate(model, prefix, Method.MULTI_NODE_CONSOLIDATION);
      if (e.command() != null) {
        best = e.command();
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The command's candidates evaluated together, as they were chosen, not searched again: whether a
   * prefix consolidates is not monotone in its length, so a binary search over only the chosen
   * candidates can stop short of them all (its first probe, a shorter prefix, fails) even though
   * nothing changed. The controller then dropped the command at validation and planned the same one
   * again a second later, for as long as the cluster stayed put (seen in chaos: one command of 9
   * nodes proposed and dropped every 3 s for a minute).
   */
  @Override
  public Optional<Command> recompute(ClusterModel only, Instant now, Map<String, String> rejected) {
    List<Candidate> all = consolidation.candidates(only, now, rejected);
    if (all.size() < 2 || all.size() != only.candidates().size()) {
      return Optional.empty();
    }
    Budget budget = new Budget(only, Method.MULTI_NODE_CONSOLIDATION, now);
    for (Candidate c : all) {
      if (!budget.take(c, rejected)) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(
        consolidation.evaluate(only, all, Method.MULTI_NODE_CONSOLIDATION).command());
  }
}
