package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Plans a pod onto a claim without changing anything: picks the pod's first requirement alternative
 * the claim can take, decides the domain of every topology key the pod depends on, narrows the
 * claim's instance types and checks limits and minValues. The answer is a {@link Plan} value.
 */
final class ClaimPlanner {
  private final ReqTable table;
  private final TopologyChecks checks;
  private final LimitReservations limits;
  private final boolean relaxMinValues;

  /** Scratch: the types under evaluation and the claim's demand with the pod (single-threaded). */
  private final long[] bitsScratch;

  private long[] needScratch = new long[0];

  ClaimPlanner(
      ReqTable table,
      TopologyChecks checks,
      LimitReservations limits,
      List<PoolState> pools,
      boolean relaxMinValues) {
    this.table = table;
    this.checks = checks;
    this.limits = limits;
    this.relaxMinValues = relaxMinValues;
    int maxBits = 1;
    for (PoolState p : pools) {
      maxBits = Math.max(maxBits, p.allBits.length);
    }
    bitsScratch = new long[maxBits];
  }

  /** Adding a pod of class cls under variant v to claim c: the plan, or why not. */
  Plan plan(ClaimBin c, PodClass cls, PodClass.Variant v) {
    PoolState pool = c.pool;
    if (untolerated(pool.np.taints(), v) != null) {
      return Plan.UNEXPLAINED;
    }
    if (!c.portsFree(cls.pod.hostPorts())) {
      return Plan.PORT_CONFLICT;
    }
    Plan last = Plan.UNEXPLAINED;
    for (int a = 0; a < v.altSoft.length; a++) {
      if (!pool.compatible(c.soft, v.altSoft[a])) {
        continue;
      }
      int hard = table.and(c.hard, v.altHard[a]);
      int soft = table.and(c.soft, v.altSoft[a]);
      Plan p = planTopologyAndTypes(a, c, cls, v, hard, soft);
      if (p.ok()) {
        return p;
      }
      if (p.failure().message() != null) {
        last = p;
      }
    }
    return last;
  }

  private Plan planTopologyAndTypes(
      int alt, ClaimBin c, PodClass cls, PodClass.Variant v, int hard, int soft) {
    // Decide the domain of every key the pod's topology depends on.
    String undecidedKey = null;
    List<String> candidates = null;
    for (String key : v.keys) {
      String value = table.single(hard, key);
      if (value == null) {
        value = table.single(soft, key);
        if (value != null) {
          hard = table.pin(hard, key, value);
        }
      }
      if (value != null) {
        Supplier<String> why = checks.check(v, c, key, value);
        if (why != null) {
          return Plan.failed(why);
        }
        continue;
      }
      boolean labelled = table.get(soft).get(key) != null || c.pool.allowUndefined.contains(key);
      if (!labelled) {
        // The node will not carry this label at all.
        Supplier<String> why = checks.check(v, c, key, null);
        if (why != null) {
          return Plan.failed(why);
        }
        continue;
      }
      TopologyChecks.Domains cands = checks.candidateDomains(c.pool, soft, key, v, c);
      if (cands.values().isEmpty()) {
        return Plan.failed(cands.lastFailure()); // every domain the node could take breaks one
      }
      if (undecidedKey == null) {
        undecidedKey = key;
        candidates = cands.values();
      } else {
        String pick = cands.values().get(0);
        hard = table.pin(hard, key, pick);
        soft = table.pin(soft, key, pick);
      }
    }
    if (v.hostnameTopology) {
      Supplier<String> why = checks.check(v, c, WellKnownLabels.HOSTNAME, c.hostname);
      if (why != null) {
        return Plan.failed(why);
      }
    }
    if (undecidedKey == null) {
      return planTypes(alt, c, cls, hard, soft);
    }
    Plan last = Plan.UNEXPLAINED;
    for (String value : candidates) {
      last =
          planTypes(
              alt,
              c,
              cls,
              table.pin(hard, undecidedKey, value),
              table.pin(soft, undecidedKey, value));
      if (last.ok()) {
        return last;
      }
    }
    return last;
  }

  private Plan planTypes(int alt, ClaimBin c, PodClass cls, int hard, int soft) {
    PoolState pool = c.pool;
    long[] mask = pool.mask(soft);
    long[] bits = bitsScratch;
    boolean any = false;
    for (int w = 0; w < c.bits.length; w++) {
      bits[w] = c.bits[w] & mask[w];
      any |= bits[w] != 0;
    }
    if (!any) {
      return Plan.failed(Plan.Kind.NO_COMPATIBLE_TYPE, () -> Plan.NO_COMPAT + table.get(soft));
    }
    if (needScratch.length != c.used.length) {
      needScratch = new long[c.used.length];
    }
    long[] need = needScratch;
    for (int i = 0; i < need.length; i++) {
      need[i] = c.used[i] + cls.req[i];
    }
    int first = -1;
    for (int i = PoolState.nextBit(bits, 0);
        i >= 0 && i < pool.types.length;
        i = PoolState.nextBit(bits, i + 1)) {
      if (Dims.fits(need, pool.alloc[i])) {
        first = i;
        break;
      }
    }
    if (first < 0) {
      return Plan.NO_ROOM;
    }
    if (pool.remaining != null && !limits.fits(c, bits, need, table.and(hard, soft))) {
      return Plan.failed(pool::limitMessage);
    }
    // BestEffort (relaxMinValues): the claim is planned anyway; the assembler lowers the minValues
    // to what its types reach and marks it relaxed.
    if (pool.hasMinValues
        && !relaxMinValues
        && !pool.satisfiesMinValues(
            Arrays.copyOf(bits, (pool.types.length + 63) >>> 6), need, table.get(soft))) {
      return Plan.failed(() -> "minValues of NodePool " + pool.np.name() + " cannot be met");
    }
    return Plan.ok(alt, hard, soft, first);
  }

  /**
   * The first taint of a node the variant does not tolerate; PreferNoSchedule taints count until
   * the variant has relaxed them.
   */
  static Taint untolerated(List<Taint> taints, PodClass.Variant v) {
    Taint t = Taints.firstUntolerated(taints, v.cls.pod.tolerations());
    if (t != null || v.toleratePreferNoSchedule) {
      return t;
    }
    for (Taint x : taints) {
      if ("PreferNoSchedule".equals(x.effect())) {
        boolean ok = false;
        for (Toleration tol : v.cls.pod.tolerations()) {
          ok |= tol.tolerates(x);
        }
        if (!ok) {
          return x;
        }
      }
    }
    return null;
  }
}
