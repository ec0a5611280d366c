package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One solve. Pods are compiled into {@link PodClass}es, sorted largest first (share of cpu plus
 * share of memory) and placed one by one: on existing nodes (first fit), else on a planned
 * NodeClaim where the pod fits the claim's current cheapest instance type (tightest fit first),
 * else where upsizing costs least, else on a new NodeClaim of the heaviest NodePool that can take
 * it. A pod that fits nowhere is retried with its preferences relaxed one at a time (Karpenter's
 * order).
 *
 * <p>Planned claims sit in a tree ordered by spare cpu on their current cheapest type, so finding
 * the tightest fit is a ceiling lookup, not a scan; instance-type sets are bitsets over each pool's
 * price-ordered types, and topology counts are updated incrementally as pods land.
 */
final class Solver {
  private static final int TIGHT_CHECKS = 256;
  private static final String ROOM = "no instance type has room";
  private static final String NO_COMPAT = "no instance type is compatible with ";
  private static final int UPSIZE_CANDIDATES = 24;
  private static final int TOP_FITS = 8;
  private static final long WASTE_MEM = 1;
  private int cursor;
  private final ClaimBin[] topClaims = new ClaimBin[TOP_FITS];
  private final double[] topWaste = new double[TOP_FITS];
  private final ClaimBin probe = new ClaimBin(null, null, -1, -1, null, null);

  private final SchedulingInput input;
  private final SchedulingOptions opts;
  private final Dims dims = new Dims();
  private final ReqTable table = new ReqTable();
  private final Topology topo = new Topology();
  private final List<ExistingBin> existing = new ArrayList<>();
  private final List<PoolState> pools = new ArrayList<>();
  private final List<ClaimBin> claims = new ArrayList<>();
  private final TreeSet<ClaimBin> bySlack =
      new TreeSet<>(Comparator.comparingLong((ClaimBin c) -> c.slack).thenComparingInt(c -> c.seq));
  private final Map<String, String> placements = new LinkedHashMap<>();
  private final Map<String, String> unschedulable = new LinkedHashMap<>();
  private final Map<String, List<String>> registeredKeys = new HashMap<>();
  private int seq;

  // scratch state of the plan being evaluated (single-threaded)
  private long[] need;
  private long[] bitsScratch;
  private int planHard;
  private int planSoft;
  private int planCheapest;

  /** Why the last plan failed: a String, or a lazily rendered Supplier (hot path stays cheap). */
  private Object planFailure;

  Solver(SchedulingInput input) {
    this.input = input;
    this.opts = input.options();
  }

  SchedulingResult solve() {
    for (SchedulingPod p : input.pods()) {
      dims.addAll(p.requests());
    }
    for (NodePoolTemplate np : input.nodePools()) {
      for (SchedulingPod ds : np.daemonSets()) {
        dims.addAll(ds.requests());
      }
    }
    need = new long[dims.size()];
    // Compile: one class per distinct pod shape.
    Map<PodClass.Key, PodClass> classes = new HashMap<>();
    List<PodClass> classList = new ArrayList<>();
    PodClass[] classOf = new PodClass[input.pods().size()];
    for (int i = 0; i < classOf.length; i++) {
      SchedulingPod p = input.pods().get(i);
      PodClass c = classes.get(PodClass.Key.of(p));
      if (c == null) {
        c = new PodClass(classList.size(), p, dims);
        classes.put(PodClass.Key.of(p), c);
        classList.add(c);
      }
      classOf[i] = c;
    }
    for (PodClass c : classList) {
      c.registerGroups(topo);
    }
    for (ExistingNode n : input.nodes()) {
      for (SchedulingPod p : n.pods()) {
        for (PodAffinityTerm t : p.podAntiAffinity()) {
          topo.group(true, t.topologyKey(), t.selector(), ns(t, p));
        }
      }
    }
    for (PodClass c : classList) {
      c.matched = topo.matching(c.pod.namespace(), c.pod.labels());
      for (PodAffinityTerm t : c.pod.podAntiAffinity()) {
        if (WellKnownLabels.HOSTNAME.equals(t.topologyKey())
            && topo.group(false, t.topologyKey(), t.selector(), c.namespaces(t))
                .matches(c.pod.namespace(), c.pod.labels())) {
          c.ownNode = true;
        }
      }
    }
    List<NodePoolTemplate> sortedPools = new ArrayList<>(input.nodePools());
    sortedPools.sort(
        Comparator.comparingInt(NodePoolTemplate::weight)
            .reversed()
            .thenComparing(NodePoolTemplate::name));
    for (NodePoolTemplate np : sortedPools) {
      PoolState ps = new PoolState(np, pools.size(), dims, table);
      List<PodClass> ds = new ArrayList<>();
      for (SchedulingPod d : np.daemonSets()) {
        ds.add(new PodClass(-1, d, dims));
      }
      ps.addDaemonSets(ds);
      pools.add(ps);
    }
    int maxBits = 1;
    for (PoolState p : pools) {
      maxBits = Math.max(maxBits, p.allBits.length);
    }
    bitsScratch = new long[maxBits];
    for (ExistingNode n : input.nodes()) {
      if (!n.markedForDeletion()) {
        existing.add(new ExistingBin(n));
      }
    }
    existing.sort(Comparator.comparing(b -> b.node.inFlight()));
    for (Topology.Group g : topo.groups) {
      if (!g.hostname) {
        registerDomains(g.key);
      }
    }
    for (ExistingBin b : existing) {
      for (SchedulingPod p : b.node.pods()) {
        for (int gid : topo.matching(p.namespace(), p.labels())) {
          count(topo.groups.get(gid), b, b.value(topo.groups.get(gid).key), 1);
        }
        for (PodAffinityTerm t : p.podAntiAffinity()) {
          Topology.Group g = topo.group(true, t.topologyKey(), t.selector(), ns(t, p));
          count(g, b, b.value(g.key), 1);
        }
        b.addPorts(p.hostPorts());
      }
    }

    double tc = 1;
    double tm = 1;
    for (PodClass c : classOf) {
      tc += c.req[Dims.CPU];
      tm += c.req[Dims.MEMORY];
    }
    final double totalCpu = tc;
    final double totalMem = tm;
    Integer[] order = new Integer[classOf.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          // Pods that need a node of their own (self anti-affinity per hostname) go first: the
          // nodes they open are then filled by the others instead of being left mostly empty.
          int c = Boolean.compare(classOf[b].ownNode, classOf[a].ownNode);
          if (c != 0) {
            return c;
          }
          long[] ra = classOf[a].req;
          long[] rb = classOf[b].req;
          // Largest first by the pod's share of all requested cpu plus its share of all memory
          // (Karpenter sorts by cpu, then memory; weighing both dimensions packs memory-heavy
          // pods as early as cpu-heavy ones: 1.11x -> 1.07x of the lower bound at 1,000 pods).
          c =
              Double.compare(
                  rb[Dims.CPU] / totalCpu + rb[Dims.MEMORY] / totalMem,
                  ra[Dims.CPU] / totalCpu + ra[Dims.MEMORY] / totalMem);
          if (c != 0) {
            return c;
          }
          c = Long.compare(rb[Dims.CPU], ra[Dims.CPU]);
          if (c != 0) {
            return c;
          }
          c = Long.compare(rb[Dims.MEMORY], ra[Dims.MEMORY]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    for (int i : order) {
      place(input.pods().get(i), classOf[i]);
    }
    repair();
    List<NewNodeClaim> out = new ArrayList<>(claims.size());
    for (ClaimBin c : claims) {
      out.add(finish(c));
    }
    return new SchedulingResult(placements, out, unschedulable);
  }

  private static Set<String> ns(PodAffinityTerm t, SchedulingPod owner) {
    if (t.namespaces() == null) {
      return null;
    }
    return t.namespaces().isEmpty() ? Set.of(owner.namespace()) : t.namespaces();
  }

  private void registerDomains(String key) {
    if (registeredKeys.containsKey(key)) {
      return;
    }
    registeredKeys.put(key, List.of());
    for (ExistingBin b : existing) {
      String v = b.value(key);
      if (v != null) {
        topo.domain(key, v);
      }
    }
    for (PoolState p : pools) {
      for (String v : p.domainValues(key)) {
        topo.domain(key, v);
      }
    }
  }

  // ------------------------------------------------------------------------------ placement

  private void place(SchedulingPod pod, PodClass cls) {
    if (cls.failedWithoutTopology) {
      unschedulable.put(pod.id(), unschedulableReasonMemo.get(cls.id));
      return;
    }
    String lastReason = null;
    int steps = opts.ignorePreferences() ? 0 : cls.relaxations();
    for (int step = 0; step <= steps; step++) {
      PodClass.Variant v = cls.variant(step, opts.ignorePreferences(), topo, table);
      String why = tryPlace(pod, cls, v);
      if (why == null) {
        return;
      }
      lastReason = why + v.description;
    }
    unschedulable.put(pod.id(), lastReason);
    if (!cls.hasTopology()) {
      cls.failedWithoutTopology = true;
      unschedulableReasonMemo.put(cls.id, lastReason);
    }
  }

  private final Map<Integer, String> unschedulableReasonMemo = new HashMap<>();

  /** Places the pod under variant v; null on success, else why not. */
  private String tryPlace(SchedulingPod pod, PodClass cls, PodClass.Variant v) {
    // 0. cheap infeasibility: anti-affinity on a key whose every domain is taken cannot be met,
    //    and hostname anti-affinity whose group is on every node leaves only a new node.
    boolean onlyNewNode = false;
    for (Topology.Group g : v.antis) {
      if (g.hostname) {
        onlyNewNode |= g.nodesWithPods >= existing.size() + claims.size();
        continue;
      }
      boolean free = false;
      for (String d : topo.domains(g.key)) {
        free |= g.count(topo.domain(g.key, d)) == 0;
      }
      if (!free) {
        return "pod anti-affinity on "
            + g.key
            + " (selector "
            + g.selector
            + ") cannot be met:"
            + " every domain already has a matching pod";
      }
    }
    // 1. existing nodes and in-flight NodeClaims, first fit
    if (v.existingOk == null) {
      v.existingOk = staticallyAdmitting(v);
    }
    for (int idx : onlyNewNode ? new int[0] : v.existingOk) {
      ExistingBin b = existing.get(idx);
      if (Dims.fits(cls.req, b.free) && b.portsFree(cls.pod.hostPorts()) && topoOk(v, b, -1)) {
        commitExisting(pod, cls, b);
        return null;
      }
    }
    // 2. planned NodeClaims: the tightest fit on a claim's current cheapest type (least
    //    cost-weighted capacity left over), else the cheapest upsizing of a claim.
    ClaimBin best = null;
    double bestMarginal = Double.POSITIVE_INFINITY;
    double bestWaste = Double.POSITIVE_INFINITY;
    int bestAlt = -1;
    int checks = 0;
    probe.slack = cls.req[Dims.CPU];
    int nTop = 0;
    for (ClaimBin c : onlyNewNode ? List.<ClaimBin>of() : bySlack.tailSet(probe, true)) {
      if (++checks > TIGHT_CHECKS) {
        break;
      }
      long leftMem = c.slackMem - cls.req[Dims.MEMORY];
      if (leftMem < 0) {
        continue;
      }
      double waste = c.pool.wasteValue(c.slack - cls.req[Dims.CPU], leftMem * WASTE_MEM);
      // keep the TOP_FITS least wasteful candidates, sorted
      if (nTop < TOP_FITS || waste < topWaste[nTop - 1]) {
        int pos = Math.min(nTop, TOP_FITS - 1);
        while (pos > 0 && topWaste[pos - 1] > waste) {
          topWaste[pos] = topWaste[pos - 1];
          topClaims[pos] = topClaims[pos - 1];
          pos--;
        }
        topWaste[pos] = waste;
        topClaims[pos] = c;
        nTop = Math.min(nTop + 1, TOP_FITS);
      }
    }
    for (int i = 0; i < nTop; i++) {
      ClaimBin c = topClaims[i];
      topClaims[i] = null;
      if (best == null && plan(c, cls, v) >= 0) {
        if (planCheapest == c.cheapest) {
          commitPlanned(pod, cls, c, v);
          for (int j = i + 1; j < nTop; j++) {
            topClaims[j] = null;
          }
          return null;
        }
      }
    }
    int maxChecks = v.hostnameTopology ? 4 * TIGHT_CHECKS : TIGHT_CHECKS;
    // Upsizing candidates: the claims with the most spare cpu. (Trying claims whose spare cpu
    // falls just short of the pod was measured worse: it grows many small nodes unevenly.)
    for (int pass = 0; pass < 1; pass++) {
      int found = 0;
      checks = 0;
      // Walk the claims round-robin (not only the roomiest) so that every claim gets to grow:
      // measured on Karpenter's workload this cuts cost from 1.33x to 1.14x of the lower bound at
      // 20,000 pods, because nodes opened early (one per anti-affine pod) are filled evenly.
      int nClaims = onlyNewNode ? 0 : claims.size();
      int start = cursor;
      for (int k = 0; k < nClaims; k++) {
        ClaimBin c = claims.get((start + k) % nClaims);
        if (found >= UPSIZE_CANDIDATES || ++checks > maxChecks) {
          break;
        }
        cursor = (start + k + 1) % nClaims;
        int alt = plan(c, cls, v);
        if (alt < 0) {
          continue;
        }
        found++;
        PoolState cp = c.pool;
        double marginal = cp.price[planCheapest] - cp.price[c.cheapest];
        double waste =
            cp.wasteValue(
                cp.alloc[planCheapest][Dims.CPU] - need[Dims.CPU],
                cp.alloc[planCheapest][Dims.MEMORY] - need[Dims.MEMORY]);
        if (marginal < bestMarginal - 1e-12
            || (marginal <= bestMarginal + 1e-12 && waste < bestWaste)) {
          best = c;
          bestMarginal = marginal;
          bestWaste = waste;
          bestAlt = alt;
        }
      }
    }
    // 3. a new NodeClaim from the heaviest NodePool that can take the pod
    List<String> reasons = new ArrayList<>();
    for (PoolState pool : pools) {
      String why = poolRejects(pool, cls, v);
      if (why != null) {
        reasons.add(why);
        continue;
      }
      if (opts.maxNodeClaims() > 0 && claims.size() >= opts.maxNodeClaims()) {
        reasons.add(
            "this solve reached its limit of "
                + opts.maxNodeClaims()
                + " new NodeClaims; the pod is retried in the next round");
        break;
      }
      if (best != null && bestMarginal <= pool.cheapestFor(cls.req) + 1e-12) {
        break; // growing a planned claim is no dearer than any new node could be
      }
      ClaimBin fresh = newClaim(pool);
      if (fresh.bits == null) {
        reasons.add(pool.limitMessage());
        continue;
      }
      int alt = plan(fresh, cls, v);
      if (alt < 0) {
        reasons.add(explainNewClaimFailure(pool, fresh, cls, v));
        continue;
      }
      double cost = pool.price[planCheapest];
      if (best != null && bestMarginal <= cost + 1e-12) {
        break; // growing a planned claim is no dearer than a new node
      }
      int hard = planHard;
      int soft = planSoft;
      int cheapest = planCheapest;
      claims.add(fresh);
      fresh.reserve();
      planHard = hard;
      planSoft = soft;
      planCheapest = cheapest;
      commitPlanned(pod, cls, fresh, v);
      return null;
    }
    if (best != null && plan(best, cls, v) >= 0) {
      commitClaim(pod, cls, best, bestAlt, v);
      return null;
    }
    // 4. exhaustive pass before giving up (pods that only fit one specific claim)
    for (ClaimBin c : onlyNewNode ? List.<ClaimBin>of() : claims) {
      if (plan(c, cls, v) >= 0) {
        commitPlanned(pod, cls, c, v);
        return null;
      }
    }
    if (pools.isEmpty()) {
      reasons.add("no NodePool can create nodes and no existing node has room");
    }
    if (reasons.isEmpty()) {
      reasons.add("no existing node or NodePool can take the pod");
    }
    return String.join("; ", new LinkedHashSet<>(reasons));
  }

  private int[] staticallyAdmitting(PodClass.Variant v) {
    int[] ok = new int[existing.size()];
    int n = 0;
    for (int i = 0; i < existing.size(); i++) {
      ExistingBin b = existing.get(i);
      if (untolerated(b.taints, v) != null) {
        continue;
      }
      for (int alt : v.altSoft) {
        if (table.get(alt).matches(b.node.labels())) {
          ok[n++] = i;
          break;
        }
      }
    }
    return Arrays.copyOf(ok, n);
  }

  private static Taint untolerated(List<Taint> taints, PodClass.Variant v) {
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

  private String poolRejects(PoolState pool, PodClass cls, PodClass.Variant v) {
    Taint t = untolerated(pool.np.taints(), v);
    if (t != null) {
      return "NodePool " + pool.np.name() + " has taint " + t + " that the pod does not tolerate";
    }
    String last = null;
    for (int alt : v.altSoft) {
      String why = pool.incompatibility(alt);
      if (why == null) {
        return null;
      }
      last = why;
    }
    return last;
  }

  private ClaimBin newClaim(PoolState pool) {
    long[] bits = pool.allBits.clone();
    if (pool.remaining != null && !pool.fitsLargest()) {
      boolean any = false;
      for (int i = 0; i < pool.types.length; i++) {
        if (!pool.withinLimits(i)) {
          bits[i >>> 6] &= ~(1L << i);
        } else {
          any = true;
        }
      }
      if (!any) {
        bits = null;
      }
    }
    ClaimBin c =
        new ClaimBin(
            pool, "dovetail-new-" + (++seq), pool.baseId, pool.baseId, pool.overhead.clone(), bits);
    c.seq = seq;
    c.cheapest = bits == null ? -1 : PoolState.nextBit(bits, 0);
    return c;
  }

  private String explainNewClaimFailure(
      PoolState pool, ClaimBin fresh, PodClass cls, PodClass.Variant v) {
    String planFailure = renderFailure();
    if (ROOM.equals(planFailure) || (planFailure != null && planFailure.startsWith(NO_COMPAT))) {
      String reqs = table.get(v.altSoft[0]).toString();
      boolean none = "[]".equals(reqs);
      boolean overhead = false;
      for (long o : pool.overhead) {
        overhead |= o != 0;
      }
      return "no instance type in NodePool "
          + pool.np.name()
          + (none ? "" : " compatible with " + reqs)
          + (ROOM.equals(planFailure) ? " has room for " + dims.describe(cls.req) : " is available")
          + (overhead && ROOM.equals(planFailure)
              ? " (plus daemonset overhead " + dims.describe(pool.overhead) + ")"
              : "");
    }
    if (planFailure != null) {
      return planFailure + " (NodePool " + pool.np.name() + ")";
    }
    return "cannot place on a new node of NodePool " + pool.np.name();
  }

  @SuppressWarnings("unchecked")
  private String renderFailure() {
    if (planFailure instanceof java.util.function.Supplier<?> sup) {
      return (String) sup.get();
    }
    return (String) planFailure;
  }

  // --------------------------------------------------------------------------- claim planning

  /**
   * Evaluates adding the pod (variant v) to claim c without changing anything. On success returns
   * the alternative used and leaves the new requirements and cheapest type in the plan fields.
   */
  private int plan(ClaimBin c, PodClass cls, PodClass.Variant v) {
    planFailure = null;
    PoolState pool = c.pool;
    if (untolerated(pool.np.taints(), v) != null) {
      return -1;
    }
    if (!c.portsFree(cls.pod.hostPorts())) {
      planFailure = "host port conflict";
      return -1;
    }
    // quick resource bound: the largest remaining type must hold the pod
    for (int a = 0; a < v.altSoft.length; a++) {
      if (!pool.compatible(c.soft, v.altSoft[a])) {
        continue;
      }
      int hard = table.and(c.hard, v.altHard[a]);
      int soft = table.and(c.soft, v.altSoft[a]);
      if (planTopologyAndTypes(c, cls, v, hard, soft)) {
        return a;
      }
    }
    return -1;
  }

  private boolean planTopologyAndTypes(
      ClaimBin c, PodClass cls, PodClass.Variant v, int hard, int soft) {
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
        if (!topoOkAt(v, c, key, value)) {
          return false;
        }
        continue;
      }
      boolean labelled = table.get(soft).get(key) != null || c.pool.allowUndefined.contains(key);
      if (!labelled) {
        // The node will not carry this label at all.
        if (!topoOkAt(v, c, key, null)) {
          return false;
        }
        continue;
      }
      List<String> cands = candidateDomains(c.pool, soft, key, v, c);
      if (cands.isEmpty()) {
        return false; // every domain the node could be in breaks a constraint
      }
      if (undecidedKey == null) {
        undecidedKey = key;
        candidates = cands;
      } else {
        String pick = cands.get(0);
        hard = table.pin(hard, key, pick);
        soft = table.pin(soft, key, pick);
      }
    }
    if (v.hostnameTopology && !topoOkAt(v, c, WellKnownLabels.HOSTNAME, c.hostname)) {
      return false;
    }
    if (undecidedKey == null) {
      return planTypes(c, cls, hard, soft);
    }
    for (String value : candidates) {
      if (planTypes(
          c, cls, table.pin(hard, undecidedKey, value), table.pin(soft, undecidedKey, value))) {
        return true;
      }
    }
    return false;
  }

  /** Domains of key a claim could still take that the pod's constraints allow, best first. */
  private List<String> candidateDomains(
      PoolState pool, int soft, String key, PodClass.Variant v, ClaimBin c) {
    Requirement r = table.get(soft).get(key);
    if (r == null && !pool.allowUndefined.contains(key)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    List<Long> scores = new ArrayList<>();
    for (String d : topo.domains(key)) {
      if (r != null && !r.has(d)) {
        continue;
      }
      if (!topoOkAt(v, c, key, d)) {
        continue;
      }
      long score = 0;
      int dom = topo.domain(key, d);
      for (PodClass.Spread s : v.spreads) {
        if (s.group.key.equals(key)) {
          score += 1024L * s.group.count(dom);
        }
      }
      for (Topology.Group g : v.affinities) {
        if (g.key.equals(key)) {
          score -= 1024L * g.count(dom);
        }
      }
      for (int gid : v.cls.matched) {
        Topology.Group g = topo.groups.get(gid);
        if (!g.owner && g.key.equals(key)) {
          score += g.count(dom);
        }
      }
      int pos = 0;
      while (pos < scores.size() && scores.get(pos) <= score) {
        pos++;
      }
      scores.add(pos, score);
      out.add(pos, d);
    }
    return out;
  }

  private boolean planTypes(ClaimBin c, PodClass cls, int hard, int soft) {
    PoolState pool = c.pool;
    long[] mask = pool.mask(soft);
    long[] bits = bitsScratch;
    boolean any = false;
    for (int w = 0; w < c.bits.length; w++) {
      bits[w] = c.bits[w] & mask[w];
      any |= bits[w] != 0;
    }
    if (!any) {
      final int softId = soft;
      planFailure = (java.util.function.Supplier<String>) () -> NO_COMPAT + table.get(softId);
      return false;
    }
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
      planFailure = ROOM;
      return false;
    }
    if (pool.remaining != null && !c.reservationFits(bits, need, table.and(hard, soft))) {
      planFailure = (java.util.function.Supplier<String>) pool::limitMessage;
      return false;
    }
    if (pool.hasMinValues
        && !pool.satisfiesMinValues(trim(bits, pool.types.length), need, table.get(soft))) {
      planFailure =
          (java.util.function.Supplier<String>)
              () -> "minValues of NodePool " + pool.np.name() + " cannot be met";
      return false;
    }
    planHard = hard;
    planSoft = soft;
    planCheapest = first;
    return true;
  }

  private static long[] trim(long[] bits, int n) {
    return Arrays.copyOf(bits, (n + 63) >>> 6);
  }

  private void commitClaim(
      SchedulingPod pod, PodClass cls, ClaimBin c, int alt, PodClass.Variant v) {
    // plan() left the plan fields for this claim; recompute to be safe when another plan ran since.
    if (plan(c, cls, v) < 0) {
      throw new IllegalStateException("plan changed for " + c.hostname);
    }
    commitPlanned(pod, cls, c, v);
  }

  private void commitPlanned(SchedulingPod pod, PodClass cls, ClaimBin c, PodClass.Variant v) {
    PoolState pool = c.pool;
    bySlack.remove(c);
    long[] mask = pool.mask(planSoft);
    for (int w = 0; w < c.bits.length; w++) {
      c.bits[w] &= mask[w];
    }
    for (int i = PoolState.nextBit(c.bits, 0);
        i >= 0 && i < planCheapest;
        i = PoolState.nextBit(c.bits, i + 1)) {
      c.bits[i >>> 6] &= ~(1L << i);
    }
    Dims.addInto(c.used, cls.req);
    c.hard = planHard;
    c.soft = planSoft;
    c.cheapest = planCheapest;
    c.slack = pool.alloc[c.cheapest][Dims.CPU] - c.used[Dims.CPU];
    c.slackMem = pool.alloc[c.cheapest][Dims.MEMORY] - c.used[Dims.MEMORY];
    c.pods.add(pod.id());
    c.podClasses.add(cls);
    c.podVariants.add(v);
    c.addPorts(cls.pod.hostPorts());
    countPod(cls, c);
    if (pool.remaining != null) {
      c.reserve();
    }
    bySlack.add(c);
  }

  /**
   * A repair pass after the greedy one: a pod whose removal lets its claim drop to a cheaper
   * instance type moves to another claim where it fits without upsizing, in the same domains for
   * every topology key it depends on. Pods other pods' affinity may rely on stay put; claims of
   * NodePools with limits are left alone (their reservations would need re-accounting).
   */
  private void repair() {
    List<ClaimBin> all = new ArrayList<>(claims);
    for (ClaimBin c : all) {
      if ((c.pool.remaining != null && !c.coarse) || c.pods.size() < 2 || c.soft != c.hard) {
        continue;
      }
      for (int k = c.pods.size() - 1; k >= 0 && c.pods.size() > 1; k--) {
        PodClass cls = c.podClasses.get(k);
        PodClass.Variant v = c.podVariants.get(k);
        if (!cls.pod.hostPorts().isEmpty() || relied(c, cls)) {
          continue;
        }
        PoolState pool = c.pool;
        for (int d = 0; d < need.length; d++) {
          need[d] = c.used[d] - cls.req[d];
        }
        long[] mask = pool.mask(c.soft);
        int smaller = -1;
        for (int i = PoolState.nextBit(mask, 0);
            i >= 0 && i < c.cheapest;
            i = PoolState.nextBit(mask, i + 1)) {
          if (Dims.fits(need, pool.alloc[i])) {
            smaller = i;
            break;
          }
        }
        if (smaller < 0 || pool.price[smaller] >= pool.price[c.cheapest]) {
          continue;
        }
        // take the pod off c, then look for a home that needs no upsizing
        countPodOn(cls, c, -1);
        ClaimBin target = null;
        probe.slack = cls.req[Dims.CPU];
        int checks = 0;
        for (ClaimBin d : bySlack.tailSet(probe, true)) {
          if (++checks > REPAIR_CHECKS) {
            break;
          }
          if (d == c || d.slackMem < cls.req[Dims.MEMORY] || !sameDomains(c, d, v)) {
            continue;
          }
          if (plan(d, cls, v) >= 0 && planCheapest == d.cheapest && sameDomainsPlanned(c, v)) {
            target = d;
            break;
          }
        }
        if (target == null) {
          countPodOn(cls, c, +1);
          continue;
        }
        String id = c.pods.remove(k);
        c.podClasses.remove(k);
        c.podVariants.remove(k);
        bySlack.remove(c);
        for (int d = 0; d < need.length; d++) {
          c.used[d] -= cls.req[d];
        }
        // re-open the cheaper types the pod had excluded
        long[] bits = mask.clone();
        for (int w = 0; w < bits.length && w < c.bits.length; w++) {
          c.bits[w] = bits[w];
        }
        for (int i = PoolState.nextBit(c.bits, 0);
            i >= 0 && i < smaller;
            i = PoolState.nextBit(c.bits, i + 1)) {
          c.bits[i >>> 6] &= ~(1L << i);
        }
        c.cheapest = smaller;
        c.slack = pool.alloc[smaller][Dims.CPU] - c.used[Dims.CPU];
        c.slackMem = pool.alloc[smaller][Dims.MEMORY] - c.used[Dims.MEMORY];
        bySlack.add(c);
        // plan fields still describe the target
        plan(target, cls, v);
        commitPlanned(podById(id), cls, target, v);
      }
    }
  }

  private static final int REPAIR_CHECKS = 64;
  private final Map<String, SchedulingPod> podIndex = new HashMap<>();

  private SchedulingPod podById(String id) {
    if (podIndex.isEmpty()) {
      for (SchedulingPod p : input.pods()) {
        podIndex.put(p.id(), p);
      }
    }
    return podIndex.get(id);
  }

  /** Whether a pod on c has a required or active affinity term the moving class satisfies. */
  private boolean relied(ClaimBin c, PodClass moving) {
    for (PodClass.Variant other : c.podVariants) {
      for (Topology.Group g : other.affinities) {
        if (g.matches(moving.pod.namespace(), moving.pod.labels())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether d already sits in c's domain for every non-hostname key the pod depends on. */
  private boolean sameDomains(ClaimBin c, ClaimBin d, PodClass.Variant v) {
    for (String key : v.keys) {
      String a = table.single(c.hard, key);
      if (a == null || !a.equals(table.single(d.hard, key))) {
        return false;
      }
    }
    return true;
  }

  private boolean sameDomainsPlanned(ClaimBin c, PodClass.Variant v) {
    for (String key : v.keys) {
      String a = table.single(c.hard, key);
      if (a == null || !a.equals(table.single(planHard, key))) {
        return false;
      }
    }
    return true;
  }

  private void countPodOn(PodClass cls, Bin b, int delta) {
    for (int gid : cls.matched) {
      Topology.Group g = topo.groups.get(gid);
      if (!g.owner) {
        count(g, b, b.value(g.key), delta);
      }
    }
    for (Topology.Group g : cls.declaredOwners) {
      count(g, b, b.value(g.key), delta);
    }
  }

  private void commitExisting(SchedulingPod pod, PodClass cls, ExistingBin b) {
    for (int i = 0; i < cls.req.length; i++) {
      b.free[i] -= cls.req[i];
    }
    b.addPorts(cls.pod.hostPorts());
    countPod(cls, b);
    placements.put(pod.id(), b.node.name());
  }

  private void countPod(PodClass cls, Bin b) {
    for (int gid : cls.matched) {
      Topology.Group g = topo.groups.get(gid);
      if (!g.owner) {
        count(g, b, b.value(g.key), 1);
      }
    }
    for (Topology.Group g : cls.declaredOwners) {
      count(g, b, b.value(g.key), 1);
    }
  }

  private void count(Topology.Group g, Bin b, String value, int delta) {
    if (g.hostname) {
      if (b.host.get(g.id) == 0 && delta > 0) {
        g.nodesWithPods++;
      }
      b.host.add(g.id, delta);
      g.total += delta;
    } else if (value != null) {
      g.add(topo.domain(g.key, value), delta);
    }
  }

  // ------------------------------------------------------------------------------- topology

  /** Topology check on an existing node (domains from its labels). */
  private boolean topoOk(PodClass.Variant v, ExistingBin b, int unused) {
    for (String key : v.keys) {
      if (!topoOkAt(v, b, key, b.value(key))) {
        return false;
      }
    }
    return !v.hostnameTopology
        || topoOkAt(v, b, WellKnownLabels.HOSTNAME, b.value(WellKnownLabels.HOSTNAME));
  }

  /** Whether every constraint of v on key holds if the pod lands on bin b with key=value. */
  private boolean topoOkAt(PodClass.Variant v, Bin b, String key, String value) {
    boolean host = WellKnownLabels.HOSTNAME.equals(key);
    int dom = value == null || host ? -1 : topo.domain(key, value);
    for (PodClass.Spread s : v.spreads) {
      Topology.Group g = s.group;
      if (!g.key.equals(key)) {
        continue;
      }
      if (value == null) {
        planFailure =
            (java.util.function.Supplier<String>)
                () -> "the node would not have label " + key + " for " + s;
        return false;
      }
      int cnt = (host ? b.host.get(g.id) : g.count(dom)) + (s.selfMatch ? 1 : 0);
      if (cnt - globalMin(s, v) > s.c.maxSkew()) {
        planFailure = (java.util.function.Supplier<String>) () -> s + " cannot be met";
        return false;
      }
    }
    for (int i = 0; i < v.affinities.size(); i++) {
      Topology.Group g = v.affinities.get(i);
      if (!g.key.equals(key)) {
        continue;
      }
      if (g.total == 0 && v.affinitySelf.get(i)) {
        continue;
      }
      if (value == null || (host ? b.host.get(g.id) : g.count(dom)) == 0) {
        planFailure =
            (java.util.function.Supplier<String>)
                () ->
                    "pod affinity on "
                        + key
                        + " (selector "
                        + g.selector
                        + ") has no matching pod in reach";
        return false;
      }
    }
    for (Topology.Group g : v.antis) {
      if (g.key.equals(key) && value != null && (host ? b.host.get(g.id) : g.count(dom)) > 0) {
        planFailure =
            (java.util.function.Supplier<String>)
                () ->
                    "pod anti-affinity on " + key + " (selector " + g.selector + ") cannot be met";
        return false;
      }
    }
    for (int gid : v.cls.matched) {
      Topology.Group g = topo.groups.get(gid);
      if (g.owner
          && g.key.equals(key)
          && value != null
          && (host ? b.host.get(g.id) : g.count(dom)) > 0) {
        planFailure =
            (java.util.function.Supplier<String>)
                () -> "anti-affinity of pods already in the " + key + " domain excludes this pod";
        return false;
      }
    }
    return true;
  }

  private int globalMin(PodClass.Spread s, PodClass.Variant v) {
    if (s.group.hostname) {
      return 0; // a new node is always a fresh domain with no matching pod
    }
    if (s.eligible == null) {
      s.eligible = eligibleDomains(s, v);
    }
    Integer minDomains = s.c.minDomains();
    if (minDomains != null && s.eligible.length < minDomains) {
      return 0;
    }
    int min = Integer.MAX_VALUE;
    for (int d : s.eligible) {
      min = Math.min(min, s.group.count(d));
    }
    return min == Integer.MAX_VALUE ? 0 : min;
  }

  /** Domains that count for a spread: nodePolicy/taintPolicy-filtered nodes and NodePools. */
  private int[] eligibleDomains(PodClass.Spread s, PodClass.Variant v) {
    String key = s.c.topologyKey();
    Set<String> values = new LinkedHashSet<>();
    for (ExistingBin b : existing) {
      String val = b.value(key);
      if (val == null) {
        continue;
      }
      if (s.c.honorNodeTaints()
          && Taints.firstUntolerated(b.taints, v.cls.pod.tolerations()) != null) {
        continue;
      }
      if (s.c.honorNodeAffinity() && !anyAltMatches(v, b.node.labels())) {
        continue;
      }
      values.add(val);
    }
    for (PoolState p : pools) {
      if (s.c.honorNodeTaints()
          && Taints.firstUntolerated(p.np.taints(), v.cls.pod.tolerations()) != null) {
        continue;
      }
      for (String val : p.domainValues(key)) {
        if (!s.c.honorNodeAffinity()) {
          values.add(val);
          continue;
        }
        for (int alt : v.altHard) {
          Requirement r = table.get(alt).get(key);
          if ((r == null || r.has(val)) && p.compatible(p.baseId, alt)) {
            values.add(val);
            break;
          }
        }
      }
    }
    int[] out = new int[values.size()];
    int i = 0;
    for (String val : values) {
      out[i++] = topo.domain(key, val);
    }
    return out;
  }

  private boolean anyAltMatches(PodClass.Variant v, Map<String, String> labels) {
    for (int alt : v.altHard) {
      if (table.get(alt).matches(labels)) {
        return true;
      }
    }
    return false;
  }

  // -------------------------------------------------------------------------------- results

  private NewNodeClaim finish(ClaimBin c) {
    PoolState pool = c.pool;
    Requirements soft = table.get(c.soft);
    Requirements hard = table.get(c.hard);
    List<InstanceType> chosen = new ArrayList<>();
    for (int i : optionIndices(pool, c.bits, c.used, table.and(c.hard, c.soft))) {
      chosen.add(pool.types[i]);
    }
    if (pool.remaining == null && c.soft != c.hard && chosen.size() < opts.maxInstanceTypes()) {
      // Preferences narrowed the choice; keep the other types as a fallback after the preferred
      // ones so a met preference never becomes a hard requirement of the NodeClaim.
      long[] hm = pool.mask(c.hard);
      Set<String> already = new HashSet<>();
      for (InstanceType t : chosen) {
        already.add(t.name());
      }
      List<Integer> extra = new ArrayList<>();
      for (int i = PoolState.nextBit(hm, 0);
          i >= 0 && i < pool.types.length;
          i = PoolState.nextBit(hm, i + 1)) {
        if (!already.contains(pool.types[i].name()) && Dims.fits(c.used, pool.alloc[i])) {
          extra.add(i);
        }
      }
      for (InstanceType t : sortedByPrice(pool, extra, c.hard)) {
        if (chosen.size() >= opts.maxInstanceTypes()) {
          break;
        }
        chosen.add(t);
      }
    }
    List<String> names = new ArrayList<>(chosen.size());
    for (InstanceType t : chosen) {
      names.add(t.name());
    }
    Requirements out =
        hard.without(WellKnownLabels.HOSTNAME)
            .and(Requirement.in(WellKnownLabels.INSTANCE_TYPE, names));
    double price =
        chosen.isEmpty()
            ? 0
            : PoolState.cheapest(chosen.get(0), table.get(table.and(c.hard, c.soft)));
    if (!chosen.isEmpty() && price == Double.POSITIVE_INFINITY) {
      price = PoolState.cheapest(chosen.get(0), hard);
    }
    return new NewNodeClaim(
        c.hostname,
        pool.np.name(),
        out,
        chosen,
        pool.np.labels(),
        pool.np.taints(),
        pool.np.startupTaints(),
        c.pods,
        dims.toResources(c.used),
        price);
  }

  private static List<InstanceType> sortedByPrice(PoolState pool, List<Integer> idx, int reqId) {
    List<InstanceType> out = new ArrayList<>(idx.size());
    double[] price = pool.prices(reqId);
    List<Integer> sorted = idx;
    if (price[pool.types.length] == 0) {
      sorted = new ArrayList<>(idx);
      sorted.sort(Comparator.comparingDouble((Integer i) -> price[i]).thenComparingInt(i -> i));
    }
    for (int i : sorted) {
      if (price[i] < Double.POSITIVE_INFINITY) {
        out.add(pool.types[i]);
      }
    }
    return out;
  }

  /**
   * The options a claim offers: types in bits that hold {@code used}, cheapest first under the
   * claim's requirements, the cheapest maxInstanceTypes of them, extended when needed to keep every
   * minValues. The limits reservation uses the same list, so what is offered is what is held.
   */
  private List<Integer> optionIndices(PoolState pool, long[] bits, long[] used, int softId) {
    double[] price = pool.prices(softId);
    List<Integer> fitting = new ArrayList<>();
    for (int i = PoolState.nextBit(bits, 0);
        i >= 0 && i < pool.types.length;
        i = PoolState.nextBit(bits, i + 1)) {
      if (price[i] < Double.POSITIVE_INFINITY && Dims.fits(used, pool.alloc[i])) {
        fitting.add(i);
      }
    }
    if (price[pool.types.length] == 0) {
      fitting.sort(Comparator.comparingDouble((Integer i) -> price[i]).thenComparingInt(i -> i));
    }
    int max = opts.maxInstanceTypes();
    if (fitting.size() <= max) {
      return fitting;
    }
    List<Integer> chosen = new ArrayList<>(fitting.subList(0, max));
    if (!pool.hasMinValues) {
      return chosen;
    }
    Requirements reqs = table.get(softId);
    for (Requirement r : reqs.all()) {
      Integer mv = r.minValues();
      if (mv == null || mv <= 1) {
        continue;
      }
      Set<String> seen = new HashSet<>();
      for (int t : chosen) {
        PoolState.collectValues(pool.types[t], r, reqs, seen);
      }
      for (int i = max; i < fitting.size() && seen.size() < mv; i++) {
        Set<String> vals = new HashSet<>();
        PoolState.collectValues(pool.types[fitting.get(i)], r, reqs, vals);
        if (!seen.containsAll(vals)) {
          seen.addAll(vals);
          chosen.add(fitting.get(i));
        }
      }
    }
    return chosen;
  }

  // ----------------------------------------------------------------------------------- bins

  /** Something pods can land on: an existing node or a planned NodeClaim. */
  abstract static class Bin {
    final IntCounter host = new IntCounter();
    List<HostPort> ports;

    /** The node's value for a label key, or null when absent or not decided. */
    abstract String value(String key);

    boolean portsFree(List<HostPort> want) {
      if (want.isEmpty() || ports == null) {
        return true;
      }
      for (HostPort w : want) {
        for (HostPort p : ports) {
          if (p.conflictsWith(w)) {
            return false;
          }
        }
      }
      return true;
    }

    void addPorts(List<HostPort> add) {
      if (add.isEmpty()) {
        return;
      }
      if (ports == null) {
        ports = new ArrayList<>();
      }
      ports.addAll(add);
    }
  }

  final class ExistingBin extends Bin {
    final ExistingNode node;
    final long[] free;
    final List<Taint> taints;

    ExistingBin(ExistingNode node) {
      this.node = node;
      long[] alloc = dims.vector(node.allocatable());
      long[] used = dims.vector(node.requested());
      if (!node.requested().has(Resources.PODS)) {
        used[Dims.PODS] = node.pods().size();
      }
      free = new long[alloc.length];
      for (int i = 0; i < alloc.length; i++) {
        free[i] = alloc[i] - used[i];
      }
      if (node.inFlight()) {
        List<Taint> ts = new ArrayList<>();
        for (Taint t : node.taints()) {
          if (!EPHEMERAL_TAINTS.contains(t.key())) {
            ts.add(t);
          }
        }
        taints = ts;
      } else {
        taints = node.taints();
      }
    }

    @Override
    String value(String key) {
      String v = node.labels().get(key);
      if (v == null && WellKnownLabels.HOSTNAME.equals(key)) {
        return node.name();
      }
      return v;
    }
  }

  static final Set<String> EPHEMERAL_TAINTS =
      Set.of(
          "node.kubernetes.io/not-ready",
          "node.kubernetes.io/unreachable",
          "node.cloudprovider.kubernetes.io/uninitialized",
          "karpenter.sh/unregistered");

  final class ClaimBin extends Bin {
    final PoolState pool;
    final String hostname;
    int hard;
    int soft;
    final long[] used;
    long[] bits;
    int cheapest = -1;
    long slack;
    long slackMem;
    int seq;
    final List<String> pods = new ArrayList<>(4);
    final List<PodClass> podClasses = new ArrayList<>(4);
    final List<PodClass.Variant> podVariants = new ArrayList<>(4);
    Map<String, Long> reserved = Map.of();

    ClaimBin(PoolState pool, String hostname, int hard, int soft, long[] used, long[] bits) {
      this.pool = pool;
      this.hostname = hostname;
      this.hard = hard;
      this.soft = soft;
      this.used = used;
      this.bits = bits;
    }

    @Override
    String value(String key) {
      if (WellKnownLabels.HOSTNAME.equals(key)) {
        return hostname;
      }
      return table.single(hard, key);
    }

    /** The limit this claim holds: the largest capacity among its launchable options. */
    private Map<String, Long> reservationFor(long[] bits, long[] used, int softId) {
      Map<String, Long> max = new HashMap<>();
      for (int i : optionIndices(pool, bits, used, softId)) {
        for (String k : pool.remaining.keySet()) {
          if (!k.equals("nodes")) {
            max.merge(k, pool.types[i].capacity().get(k), Math::max);
          }
        }
      }
      return max;
    }

    boolean reservationFits(long[] bits, long[] used, int softId) {
      if (coarse || (!reservedOnce && pool.fitsLargest())) {
        return true;
      }
      Map<String, Long> next = reservationFor(bits, used, softId);
      for (Map.Entry<String, Long> e : pool.remaining.entrySet()) {
        if (e.getKey().equals("nodes")) {
          if (reserved.isEmpty() && cheapest < 0 && e.getValue() < 1) {
            return false;
          }
          continue;
        }
        long delta = next.getOrDefault(e.getKey(), 0L) - reserved.getOrDefault(e.getKey(), 0L);
        if (delta > e.getValue()) {
          return false;
        }
      }
      return true;
    }

    void reserve() {
      if (pool.remaining == null) {
        return;
      }
      boolean first = reserved.isEmpty() && !reservedOnce;
      if (coarse) {
        return; // holds the pool's largest capacity since it was opened
      }
      if (first && pool.fitsLargest()) {
        // Plenty of room under the limits: hold the largest capacity of any type at once and
        // skip the per-pod bookkeeping.
        coarse = true;
        reservedOnce = true;
        pool.remaining.replaceAll(
            (k, v) -> v - (k.equals("nodes") ? 1 : pool.largest.getOrDefault(k, 0L)));
        reserved = pool.largest;
        return;
      }
      Map<String, Long> next = reservationFor(bits, used, table.and(hard, soft));
      for (Map.Entry<String, Long> e : pool.remaining.entrySet()) {
        String k = e.getKey();
        if (k.equals("nodes")) {
          if (first) {
            e.setValue(e.getValue() - 1);
          }
          continue;
        }
        e.setValue(e.getValue() - next.getOrDefault(k, 0L) + reserved.getOrDefault(k, 0L));
      }
      reserved = next;
      reservedOnce = true;
    }

    boolean reservedOnce;
    boolean coarse;
  }
}
