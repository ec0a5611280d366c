package dev.dovetail.scheduling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * After the repair pass: a claim whose pods all fit on one other claim of its NodePool for no more
 * than the two cost apart (that claim growing to a bigger type if need be) moves there and is
 * dropped. The greedy pass grows a claim only when that costs no more than a new node for the pod,
 * so where the smallest types are dear per unit of room (a real catalog's t4g.micro and t4g.small
 * carry most of a node's fixed overhead) it leaves many small claims: 1,156 pods of 250m / 512Mi
 * were planned on 656 t4g.small and t4g.micro claims ($9.71/h) where 193 t4g.medium cost $6.48/h.
 * Two such claims merged at an equal price make a bigger one with room, which the next merge fills
 * for less; so claims are taken cheapest first, and a merge at an equal price is taken (one node
 * fewer).
 *
 * <p>Left alone, as in the {@link RepairPass}: claims with preferred terms in play, pods with host
 * ports; and a merge that would move a pod to another domain of a topology key it depends on. Every
 * move is a {@link ClaimPlanner} plan, so topology, affinity and NodePool limits hold (the claim
 * merged away keeps what it holds of the limits until it is dropped); a merge that fails half way
 * is rolled back, reservations included.
 */
final class MergePass {
  /** How many claims a claim tries to merge into: the tightest with room, then the cheapest. */
  private static final int CANDIDATES = 6;

  private static final double EPSILON = 1e-9;

  private final ClaimPlanner planner;
  private final PlannedClaims claims;
  private final TopologyCounts counts;
  private final Map<String, SchedulingPod> pods = new HashMap<>();

  MergePass(
      ClaimPlanner planner, PlannedClaims claims, TopologyCounts counts, List<SchedulingPod> pods) {
    this.planner = planner;
    this.claims = claims;
    this.counts = counts;
    for (SchedulingPod p : pods) {
      this.pods.put(p.id(), p);
    }
  }

  /** Runs the pass; returns how many claims were merged away. */
  int run() {
    List<ClaimBin> order = new ArrayList<>();
    for (ClaimBin c : claims.all()) {
      if (eligible(c)) {
        order.add(c);
      }
    }
    if (order.size() < 2) {
      return 0;
    }
    order.sort(
        Comparator.comparingDouble((ClaimBin c) -> c.pool.price[c.cheapest])
            .thenComparingInt(c -> c.seq));
    Set<ClaimBin> gone = Collections.newSetFromMap(new IdentityHashMap<>());
    int merged = 0;
    for (int i = 0; i < order.size(); i++) {
      ClaimBin c = order.get(i);
      if (gone.contains(c)) {
        continue;
      }
      for (ClaimBin d : candidates(c, order, i, gone)) {
        if (tryMerge(c, d)) {
          gone.add(c);
          claims.drop(c);
          merged++;
          break;
        }
      }
    }
    return merged;
  }

  private static boolean eligible(ClaimBin c) {
    if (c.soft != c.hard || c.cheapest < 0) {
      return false;
    }
    for (PodClass cls : c.podClasses) {
      if (!cls.pod.hostPorts().isEmpty()) {
        return false;
      }
    }
    return !c.pods.isEmpty();
  }

  /**
   * Claims of c's pool worth planning c's pods onto: the tightest with c's cpu spare on their
   * current type (no upsizing), then the next cheapest after c; only those whose current use and
   * c's would share a type costing no more than the two apart.
   */
  private List<ClaimBin> candidates(ClaimBin c, List<ClaimBin> order, int at, Set<ClaimBin> gone) {
    List<ClaimBin> out = new ArrayList<>(CANDIDATES);
    long cpu = c.used[Dims.CPU] - c.pool.overhead[Dims.CPU];
    int looked = 0;
    for (ClaimBin d : claims.withSpareCpu(cpu)) {
      if (++looked > 4 * CANDIDATES || out.size() >= CANDIDATES / 2) {
        break;
      }
      if (worthPlanning(c, d, gone)) {
        out.add(d);
      }
    }
    looked = 0;
    for (int j = at + 1; j < order.size() && out.size() < CANDIDATES; j++) {
      ClaimBin d = order.get(j);
      if (++looked > 4 * CANDIDATES) {
        break;
      }
      if (!out.contains(d) && worthPlanning(c, d, gone)) {
        out.add(d);
      }
    }
    return out;
  }

  /** Whether d could take c's pods for no more than the two cost apart, by resources alone. */
  private boolean worthPlanning(ClaimBin c, ClaimBin d, Set<ClaimBin> gone) {
    if (d == c || d.pool != c.pool || gone.contains(d) || !eligible(d)) {
      return false;
    }
    long[] both = d.used.clone();
    for (int k = 0; k < both.length; k++) {
      both[k] += c.used[k] - c.pool.overhead[k];
    }
    int t = d.pool.firstFit(d.pool.mask(d.soft), both);
    return t >= 0
        && d.pool.price[t] <= d.pool.price[d.cheapest] + c.pool.price[c.cheapest] + EPSILON;
  }

  /** Plans c's pods onto d one by one; keeps the result if it costs no more, else undoes it. */
  private boolean tryMerge(ClaimBin c, ClaimBin d) {
    double before = c.pool.price[c.cheapest] + d.pool.price[d.cheapest];
    PlannedClaims.Saved saved = claims.save(d);
    int n = c.pods.size();
    int moved = 0;
    boolean ok = true;
    for (int k = 0; k < n && ok; k++) {
      PodClass cls = c.podClasses.get(k);
      PodClass.Variant v = c.podVariants.get(k);
      counts.add(cls, c, -1);
      Plan p = planner.plan(d, cls, v);
      if (p.ok() && c.keepsDomains(p.hard(), v)) {
        claims.commit(pods.get(c.pods.get(k)), cls, d, v, p);
        moved++;
      } else {
        counts.add(cls, c, +1);
        ok = false;
      }
    }
    if (ok && d.pool.price[d.cheapest] <= before + EPSILON) {
      return true;
    }
    for (int k = 0; k < moved; k++) {
      PodClass cls = c.podClasses.get(k);
      counts.add(cls, d, -1);
      counts.add(cls, c, +1);
    }
    claims.restore(saved);
    return false;
  }
}
