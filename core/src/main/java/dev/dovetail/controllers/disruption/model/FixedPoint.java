package dev.dovetail.controllers.disruption.model;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.SchedulingPod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Consolidation run to its fixed point: passes one after another, each on the cluster the previous
 * one left once its disruptions completed (budgets free again, replacements initialised and past
 * consolidateAfter), until a pass finds nothing.
 */
public final class FixedPoint {
  private FixedPoint() {}

  /**
   * @param passes passes that found something, plus the final empty one
   * @param first the first pass (what one poll of the disruption controller does)
   * @param costPerHour what the managed nodes cost at the fixed point
   * @param lowerBoundCostPerHour the cheapest any placement of the remaining pods could cost
   * @param durationMs all passes together
   * @param podsLost pods in the cluster before minus after
   * @param cpuMs CPU time of the planning thread over all passes (wall time on a shared machine
   *     says little)
   */
  public record Result(
      int passes,
      ConsolidationScenario.PassResult first,
      int nodes,
      double costPerHour,
      double lowerBoundCostPerHour,
      long durationMs,
      int podsLost,
      long cpuMs) {}

  public static Result run(ClusterModel model, DisruptionPlanner planner, int maxPasses) {
    return runWithModel(model, planner, maxPasses).result();
  }

  /** A run's result and the cluster at its fixed point. */
  record Run(Result result, ClusterModel model) {}

  static Run runWithModel(ClusterModel model, DisruptionPlanner planner, int maxPasses) {
    int podsBefore = pods(model);
    long t0 = System.nanoTime();
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long c0 = threads.getCurrentThreadCpuTime();
    ConsolidationScenario.PassResult first = null;
    int passes = 0;
    while (passes < maxPasses) {
      ConsolidationScenario.Outcome o = ConsolidationScenario.passOutcome(model, planner);
      passes++;
      if (first == null) {
        first = o.result();
      }
      if (o.result().commands() == 0) {
        break;
      }
      model = settle(o.model());
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Result result =
        new Result(
            passes,
            first,
            model.candidates().size(),
            ModelUpdates.cost(model),
            lowerBound(model),
            ms,
            podsBefore - pods(model),
            (threads.getCurrentThreadCpuTime() - c0) / 1_000_000);
    return new Run(result, model);
  }

  /** The cluster once the disruptions a pass started have completed. */
  static ClusterModel settle(ClusterModel model) {
    List<Candidate> candidates = new ArrayList<>(model.candidates().size());
    Map<String, Integer> perPool = new HashMap<>();
    for (Candidate c : model.candidates()) {
      perPool.merge(c.nodePool(), 1, Integer::sum);
      if ("just launched".equals(c.blockedReason())) {
        c =
            new Candidate(
                c.nodeClaim(),
                c.node(),
                c.nodePool(),
                c.instanceType(),
                c.capacityType(),
                c.zone(),
                c.price(),
                c.pods(),
                ConsolidationScenario.NOW.minus(Duration.ofHours(1)),
                c.driftReason(),
                null,
                c.disruptionCost());
      }
      candidates.add(c);
    }
    Map<String, ClusterModel.PoolCounts> counts = new HashMap<>();
    model
        .pools()
        .forEach(
            (pool, pc) ->
                counts.put(
                    pool,
                    new ClusterModel.PoolCounts(
                        perPool.getOrDefault(pool, 0), 0, pc.evictionsLeft())));
    return new ClusterModel(
        model.nodes(),
        model.nodePools(),
        candidates,
        model.policies(),
        counts,
        model.pendingPods());
  }

  /**
   * A fractional lower bound of the remaining workload: its cpu (and memory) at the best
   * allocatable per dollar of any type its NodePools may launch, the larger of the two.
   */
  static double lowerBound(ClusterModel model) {
    long cpu = 0;
    long mem = 0;
    for (ExistingNode n : model.nodes()) {
      for (SchedulingPod p : n.pods()) {
        cpu += p.requests().get(Resources.CPU);
        mem += p.requests().get(Resources.MEMORY);
      }
    }
    double bestCpu = 0;
    double bestMem = 0;
    for (var np : model.nodePools()) {
      Requirements reqs = np.requirements();
      for (InstanceType t : np.instanceTypes()) {
        double price = Double.POSITIVE_INFINITY;
        for (Offering o : t.offerings()) {
          if (o.available() && o.compatibleWith(reqs)) {
            price = Math.min(price, o.price());
          }
        }
        if (price == Double.POSITIVE_INFINITY || !compatible(t, reqs)) {
          continue;
        }
        Resources a = t.allocatable();
        bestCpu = Math.max(bestCpu, a.get(Resources.CPU) / price);
        bestMem = Math.max(bestMem, a.get(Resources.MEMORY) / price);
      }
    }
    return bestCpu == 0 ? 0 : Math.max(cpu / bestCpu, mem / bestMem);
  }

  private static boolean compatible(InstanceType t, Requirements reqs) {
    for (Requirement r : reqs.all()) {
      Requirement mine = t.requirements().get(r.key());
      if (mine != null && !mine.intersects(r)) {
        return false;
      }
    }
    return true;
  }

  private static int pods(ClusterModel model) {
    int n = 0;
    for (ExistingNode e : model.nodes()) {
      n += e.pods().size();
    }
    return n;
  }
}
