package dev.dovetail.scheduling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A repair pass after the greedy one: a pod whose removal lets its claim drop to a cheaper instance
 * type moves to another claim where it fits without upsizing, in the same domains for every
 * topology key it depends on. Pods other pods' affinity may rely on stay put; claims of NodePools
 * with limits are left alone (their reservations would need re-accounting).
 */
final class RepairPass {
  /** How many tightest-fit candidates a moving pod looks at. */
  private static final int CHECKS = 64;

  private final ClaimPlanner planner;
  private final PlannedClaims claims;
  private final TopologyCounts counts;
  private final Map<String, SchedulingPod> pods = new HashMap<>();

  RepairPass(
      ClaimPlanner planner, PlannedClaims claims, TopologyCounts counts, List<SchedulingPod> pods) {
    this.planner = planner;
    this.claims = claims;
    this.counts = counts;
    for (SchedulingPod p : pods) {
      this.pods.put(p.id(), p);
    }
  }

  /** Runs the pass over every claim; returns how many pods moved. */
  int run() {
    int moved = 0;
    for (ClaimBin c : new ArrayList<>(claims.all())) {
      if ((c.pool.remaining != null && !c.coarse) || c.pods.size() < 2 || c.soft != c.hard) {
        continue;
      }
      for (int k = c.pods.size() - 1; k >= 0 && c.pods.size() > 1; k--) {
        if (tryMove(c, k)) {
          moved++;
        }
      }
    }
    return moved;
  }

  private boolean tryMove(ClaimBin c, int k) {
    PodClass cls = c.podClasses.get(k);
    PodClass.Variant v = c.podVariants.get(k);
    if (!cls.pod.hostPorts().isEmpty() || relied(c, cls)) {
      return false;
    }
    PoolState pool = c.pool;
    long[] without = c.used.clone();
    for (int d = 0; d < without.length; d++) {
      without[d] -= cls.req[d];
    }
    long[] mask = pool.mask(c.soft);
    int smaller = -1;
    for (int i = PoolState.nextBit(mask, 0);
        i >= 0 && i < c.cheapest;
        i = PoolState.nextBit(mask, i + 1)) {
      if (Dims.fits(without, pool.alloc[i])) {
        smaller = i;
        break;
      }
    }
    if (smaller < 0 || pool.price[smaller] >= pool.price[c.cheapest]) {
      return false;
    }
    // take the pod off c, then look for a home that needs no upsizing
    counts.add(cls, c, -1);
    ClaimBin target = null;
    Plan plan = null;
    int checks = 0;
    for (ClaimBin d : claims.withSpareCpu(cls.req[Dims.CPU])) {
      if (++checks > CHECKS) {
        break;
      }
      if (d == c || d.slackMem < cls.req[Dims.MEMORY] || !c.keepsDomains(d.hard, v)) {
        continue;
      }
      Plan p = planner.plan(d, cls, v);
      if (p.ok() && p.cheapest() == d.cheapest && c.keepsDomains(p.hard(), v)) {
        target = d;
        plan = p;
        break;
      }
    }
    if (target == null) {
      counts.add(cls, c, +1);
      return false;
    }
    String id = claims.release(c, k, mask.clone(), smaller);
    claims.commit(pods.get(id), cls, target, v, plan);
    return true;
  }

  /** Whether a pod on c has a required or active affinity term the moving class satisfies. */
  private static boolean relied(ClaimBin c, PodClass moving) {
    for (PodClass.Variant other : c.podVariants) {
      for (Topology.Group g : other.affinities) {
        if (g.matches(moving.pod.namespace(), moving.pod.labels())) {
          return true;
        }
      }
    }
    return false;
  }
}
