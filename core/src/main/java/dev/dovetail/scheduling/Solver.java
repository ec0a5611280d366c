package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One solve: owns all mutable state, so the {@link Scheduler} itself stays stateless. */
final class Solver {
  private final SchedulingInput input;
  private final Dims dims = new Dims();
  private final List<NodeState> existing = new ArrayList<>();
  private final List<PoolState> pools = new ArrayList<>();
  private final List<PlannedClaim> claims = new ArrayList<>();
  private final Map<String, String> placements = new LinkedHashMap<>();
  private final Map<String, String> unschedulable = new LinkedHashMap<>();
  private int claimSeq;

  Solver(SchedulingInput input) {
    this.input = input;
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
    for (ExistingNode n : input.nodes()) {
      if (!n.markedForDeletion()) {
        existing.add(new NodeState(n, dims));
      }
    }
    // Real nodes before in-flight NodeClaims (stable otherwise).
    existing.sort(Comparator.comparing(n -> n.node.inFlight()));
    List<NodePoolTemplate> sortedPools = new ArrayList<>(input.nodePools());
    sortedPools.sort(
        Comparator.comparingInt(NodePoolTemplate::weight)
            .reversed()
            .thenComparing(NodePoolTemplate::name));
    for (NodePoolTemplate np : sortedPools) {
      pools.add(new PoolState(np, dims));
    }

    List<PodState> pods = new ArrayList<>(input.pods().size());
    for (SchedulingPod p : input.pods()) {
      pods.add(new PodState(p, dims));
    }
    // Karpenter's order: biggest first (cpu, then memory) so large pods find room early.
    pods.sort(
        Comparator.comparingLong((PodState p) -> -p.req[Dims.CPU])
            .thenComparingLong(p -> -p.req[Dims.MEMORY])
            .thenComparing(p -> p.pod.id()));
    for (PodState p : pods) {
      place(p);
    }
    List<NewNodeClaim> out = new ArrayList<>(claims.size());
    for (PlannedClaim c : claims) {
      out.add(c.finish(input.options().maxInstanceTypes()));
    }
    return new SchedulingResult(placements, out, unschedulable);
  }

  private void place(PodState p) {
    for (NodeState n : existing) {
      if (n.admits(p)) {
        n.add(p);
        placements.put(p.pod.id(), n.node.name());
        return;
      }
    }
    for (PlannedClaim c : claims) {
      if (c.tryAdd(p)) {
        return;
      }
    }
    List<String> reasons = new ArrayList<>();
    for (PoolState pool : pools) {
      String why = pool.whyNot(p);
      if (why != null) {
        reasons.add(why);
        continue;
      }
      int max = input.options().maxNodeClaims();
      if (max > 0 && claims.size() >= max) {
        reasons.add(
            "this solve reached its limit of " + max + " new NodeClaims; retried next round");
        break;
      }
      PlannedClaim c = pool.open(p, "dovetail-new-" + (++claimSeq));
      if (c != null) {
        claims.add(c);
        return;
      }
      reasons.add(pool.lastFailure);
    }
    if (pools.isEmpty()) {
      reasons.add("no NodePool can create nodes and no existing node fits");
    }
    unschedulable.put(p.pod.id(), String.join("; ", reasons));
  }

  // ---------------------------------------------------------------------------------------------

  /** A pending pod compiled for this solve. */
  static final class PodState {
    final SchedulingPod pod;
    final long[] req;

    /** Required node constraints, one alternative per ORed affinity term. */
    final List<Requirements> alternatives;

    PodState(SchedulingPod pod, Dims dims) {
      this.pod = pod;
      this.req = dims.vector(pod.requests());
      this.req[Dims.PODS] += 1;
      Requirements base = Requirements.fromLabels(pod.nodeSelector()).and(pod.volumeRequirements());
      if (pod.requiredNodeAffinity().isEmpty()) {
        alternatives = List.of(base);
      } else {
        List<Requirements> alts = new ArrayList<>();
        for (Requirements term : pod.requiredNodeAffinity()) {
          alts.add(base.and(term));
        }
        alternatives = alts;
      }
    }
  }

  /** An existing node or in-flight NodeClaim. */
  static final class NodeState {
    final ExistingNode node;
    final long[] free;

    NodeState(ExistingNode node, Dims dims) {
      this.node = node;
      long[] alloc = dims.vector(node.allocatable());
      long[] used = dims.vector(node.requested());
      if (!node.requested().has(dev.dovetail.cloudprovider.Resources.PODS)) {
        used[Dims.PODS] = node.pods().size();
      }
      free = new long[alloc.length];
      for (int i = 0; i < alloc.length; i++) {
        free[i] = alloc[i] - used[i];
      }
    }

    boolean admits(PodState p) {
      for (int i = 0; i < p.req.length; i++) {
        if (p.req[i] > 0 && p.req[i] > free[i]) {
          return false;
        }
      }
      if (Taints.firstUntolerated(effectiveTaints(), p.pod.tolerations()) != null) {
        return false;
      }
      for (Requirements alt : p.alternatives) {
        if (alt.matches(node.labels())) {
          return true;
        }
      }
      return false;
    }

    private List<Taint> effectiveTaints() {
      if (!node.inFlight()) {
        return node.taints();
      }
      // A NodeClaim still launching carries taints that go away on their own.
      List<Taint> out = new ArrayList<>();
      for (Taint t : node.taints()) {
        if (!EPHEMERAL_TAINTS.contains(t.key())) {
          out.add(t);
        }
      }
      return out;
    }

    void add(PodState p) {
      for (int i = 0; i < p.req.length; i++) {
        free[i] -= p.req[i];
      }
    }
  }

  static final Set<String> EPHEMERAL_TAINTS =
      Set.of(
          "node.kubernetes.io/not-ready",
          "node.kubernetes.io/unreachable",
          "node.cloudprovider.kubernetes.io/uninitialized",
          "karpenter.sh/unregistered");

  /** One instance type compiled against the solve's dims. */
  static final class TypeState {
    final InstanceType it;
    final long[] alloc;
    final long[] capacity;
    final double minPrice;

    TypeState(InstanceType it, Dims dims, double minPrice) {
      this.it = it;
      this.alloc = dims.vector(it.allocatable());
      this.capacity = dims.vector(it.capacity());
      this.minPrice = minPrice;
    }
  }

  /** A NodePool with its compatible instance types, daemonset overhead and remaining limits. */
  final class PoolState {
    final NodePoolTemplate np;
    final Requirements base;
    final Set<String> defined = new HashSet<>();
    final Set<String> allowUndefined = new HashSet<>(WellKnownLabels.WELL_KNOWN);
    final TypeState[] types;
    final long[] overhead;
    final Map<String, Long> remaining; // null = unlimited
    String lastFailure;

    PoolState(NodePoolTemplate np, Dims dims) {
      this.np = np;
      Requirements b =
          np.requirements()
              .and(Requirements.fromLabels(np.labels()))
              .and(Requirement.in(WellKnownLabels.NODE_POOL, np.name()));
      this.base = b;
      defined.addAll(b.keys());
      defined.add(WellKnownLabels.HOSTNAME);
      List<TypeState> ts = new ArrayList<>();
      for (InstanceType it : np.instanceTypes()) {
        allowUndefined.addAll(it.requirements().keys());
        double price = Double.POSITIVE_INFINITY;
        for (Offering o : it.offerings()) {
          if (o.available() && o.compatibleWith(b) && o.price() < price) {
            price = o.price();
          }
        }
        if (price == Double.POSITIVE_INFINITY) {
          continue;
        }
        TypeState t = new TypeState(it, dims, price);
        if (typeCompatible(t, b)) {
          ts.add(t);
        }
      }
      ts.sort(
          Comparator.comparingDouble((TypeState t) -> t.minPrice).thenComparing(t -> t.it.name()));
      this.types = ts.toArray(new TypeState[0]);
      this.overhead = new long[dims.size()];
      for (SchedulingPod ds : np.daemonSets()) {
        if (Taints.firstUntolerated(np.taints(), ds.tolerations()) != null) {
          continue;
        }
        PodState dp = new PodState(ds, dims);
        boolean compatible = false;
        for (Requirements alt : dp.alternatives) {
          if (base.isCompatible(alt, allowUndefined)) {
            compatible = true;
            break;
          }
        }
        if (compatible) {
          Dims.addInto(overhead, dp.req);
        }
      }
      if (np.limits().isEmpty()) {
        remaining = null;
      } else {
        remaining = new HashMap<>();
        np.limits().asMap().forEach((k, v) -> remaining.put(k, v - np.usage().get(k)));
      }
    }

    /** Why no NodeClaim of this pool could take the pod regardless of instance type, or null. */
    String whyNot(PodState p) {
      Taint t = Taints.firstUntolerated(np.taints(), p.pod.tolerations());
      if (t != null) {
        return "NodePool " + np.name() + " has taint " + t + " that the pod does not tolerate";
      }
      String last = null;
      for (Requirements alt : p.alternatives) {
        var why = base.compatible(alt, allowUndefined);
        if (why.isEmpty()) {
          return null;
        }
        last = why.get();
      }
      return "NodePool " + np.name() + ": " + last;
    }

    /** Whether this type can satisfy reqs (labels and an available offering). */
    boolean typeCompatible(TypeState t, Requirements reqs) {
      Requirements tr = t.it.requirements();
      for (Requirement r : reqs.all()) {
        String key = r.key();
        Requirement mine = tr.get(key);
        if (mine != null) {
          if (!mine.intersects(r)) {
            return false;
          }
        } else if (key.equals(WellKnownLabels.INSTANCE_TYPE)) {
          if (!r.has(t.it.name())) {
            return false;
          }
        } else if (key.equals(WellKnownLabels.ZONE)
            || key.equals(WellKnownLabels.CAPACITY_TYPE)
            || key.equals(WellKnownLabels.CAPACITY_RESERVATION_ID)
            || defined.contains(key)) {
          continue;
        } else if (!allowsAbsent(r)) {
          return false;
        }
      }
      for (Offering o : t.it.offerings()) {
        if (o.available() && o.compatibleWith(reqs)) {
          return true;
        }
      }
      return false;
    }

    boolean withinLimits(TypeState t, int extraNodes) {
      if (remaining == null) {
        return true;
      }
      for (Map.Entry<String, Long> e : remaining.entrySet()) {
        long need = e.getKey().equals("nodes") ? extraNodes : t.it.capacity().get(e.getKey());
        if (need > e.getValue()) {
          return false;
        }
      }
      return true;
    }

    PlannedClaim open(PodState p, String hostname) {
      if (remaining != null && remaining.containsKey("nodes") && remaining.get("nodes") < 1) {
        lastFailure =
            "NodePool " + np.name() + " nodes limit " + np.limits().get("nodes") + " reached";
        return null;
      }
      boolean anyCompatible = false;
      boolean anyFits = false;
      String lastReq = null;
      for (Requirements alt : p.alternatives) {
        if (!base.isCompatible(alt, allowUndefined)) {
          continue;
        }
        Requirements reqs = base.and(alt).and(Requirement.in(WellKnownLabels.HOSTNAME, hostname));
        lastReq = alt.toString();
        long[] used = overhead.clone();
        Dims.addInto(used, p.req);
        int[] keep = new int[types.length];
        int n = 0;
        for (int i = 0; i < types.length; i++) {
          TypeState t = types[i];
          if (!typeCompatible(t, reqs)) {
            continue;
          }
          anyCompatible = true;
          if (!Dims.fits(new long[used.length], used, t.alloc)) {
            continue;
          }
          anyFits = true;
          if (!withinLimits(t, 1)) {
            continue;
          }
          keep[n++] = i;
        }
        if (n > 0 && satisfiesMinValues(keep, n, reqs)) {
          PlannedClaim c =
              new PlannedClaim(this, hostname, reqs, used, java.util.Arrays.copyOf(keep, n));
          c.pods.add(p.pod.id());
          c.reserve();
          return c;
        }
      }
      if (!anyCompatible) {
        lastFailure =
            "no instance type in NodePool "
                + np.name()
                + " is available and compatible with "
                + (lastReq == null || lastReq.equals("[]") ? "its requirements" : lastReq);
      } else if (!anyFits) {
        long[] need = overhead.clone();
        Dims.addInto(need, p.req);
        lastFailure =
            "no instance type in NodePool "
                + np.name()
                + (lastReq == null || lastReq.equals("[]") ? "" : " compatible with " + lastReq)
                + " has room for "
                + dims.describe(p.req)
                + " (plus daemonset overhead "
                + dims.describe(overhead)
                + ")";
      } else {
        lastFailure = limitMessage();
      }
      return null;
    }

    String limitMessage() {
      List<String> parts = new ArrayList<>();
      if (remaining != null) {
        for (Map.Entry<String, Long> e : remaining.entrySet()) {
          parts.add(
              e.getKey()
                  + " limit "
                  + dev.dovetail.cloudprovider.Quantities.format(
                      e.getKey(), np.limits().get(e.getKey())));
        }
      }
      return "NodePool "
          + np.name()
          + " "
          + String.join(", ", parts)
          + " reached (no instance type that fits the pod stays within the remaining limits"
          + " or the minValues requirements cannot be met)";
    }

    /** Whether the types keep[0..n) span every minValues of the pool's requirements. */
    boolean satisfiesMinValues(int[] keep, int n, Requirements reqs) {
      for (Requirement r : reqs.all()) {
        Integer mv = r.minValues();
        if (mv == null || mv <= 1) {
          continue;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n && seen.size() < mv; i++) {
          collectValues(types[keep[i]], r, reqs, seen);
        }
        if (seen.size() < mv) {
          return false;
        }
      }
      return true;
    }

    void collectValues(TypeState t, Requirement r, Requirements reqs, Set<String> into) {
      String key = r.key();
      if (key.equals(WellKnownLabels.INSTANCE_TYPE)) {
        into.add(t.it.name());
        return;
      }
      if (key.equals(WellKnownLabels.ZONE) || key.equals(WellKnownLabels.CAPACITY_TYPE)) {
        for (Offering o : t.it.offerings()) {
          if (o.available() && o.compatibleWith(reqs)) {
            String v = key.equals(WellKnownLabels.ZONE) ? o.zone() : o.capacityType();
            if (r.has(v)) {
              into.add(v);
            }
          }
        }
        return;
      }
      Requirement tr = t.it.requirements().get(key);
      if (tr != null && !tr.complement()) {
        for (String v : tr.values()) {
          if (r.has(v)) {
            into.add(v);
          }
        }
      }
    }

    /** Releases a claim's reservation on the limits. */
    void unreserve(long nodes, Map<String, Long> amounts) {
      if (remaining == null) {
        return;
      }
      remaining.computeIfPresent("nodes", (k, v) -> v + nodes);
      amounts.forEach((k, v) -> remaining.computeIfPresent(k, (kk, old) -> old + v));
    }
  }

  static boolean allowsAbsent(Requirement r) {
    boolean bounded = r.greaterThan() != null || r.lessThan() != null;
    if (bounded) {
      return false;
    }
    Operator op = r.operator();
    return op == Operator.NotIn || op == Operator.DoesNotExist;
  }

  /** A new NodeClaim being filled. */
  final class PlannedClaim {
    final PoolState pool;
    final String hostname;
    Requirements reqs;
    final long[] used;
    int[] types; // indices into pool.types, cheapest first
    final List<String> pods = new ArrayList<>();
    Map<String, Long> reserved = Map.of();

    PlannedClaim(PoolState pool, String hostname, Requirements reqs, long[] used, int[] types) {
      this.pool = pool;
      this.hostname = hostname;
      this.reqs = reqs;
      this.used = used;
      this.types = types;
    }

    /** Holds the largest capacity among the options against the pool's limits. */
    void reserve() {
      if (pool.remaining == null) {
        return;
      }
      pool.unreserve(reserved.isEmpty() ? 0 : 1, reserved);
      Map<String, Long> max = new HashMap<>();
      for (String k : pool.remaining.keySet()) {
        if (k.equals("nodes")) {
          continue;
        }
        long m = 0;
        for (int i : types) {
          m = Math.max(m, pool.types[i].it.capacity().get(k));
        }
        max.put(k, m);
      }
      reserved = max;
      pool.remaining.computeIfPresent("nodes", (k, v) -> v - 1);
      max.forEach((k, v) -> pool.remaining.computeIfPresent(k, (kk, old) -> old - v));
    }

    boolean tryAdd(PodState p) {
      if (Taints.firstUntolerated(pool.np.taints(), p.pod.tolerations()) != null) {
        return false;
      }
      for (Requirements alt : p.alternatives) {
        if (!reqs.isCompatible(alt, pool.allowUndefined)) {
          continue;
        }
        Requirements merged = reqs.and(alt);
        long[] next = used.clone();
        Dims.addInto(next, p.req);
        int[] keep = new int[types.length];
        int n = 0;
        boolean reqsChanged = !merged.equals(reqs);
        for (int i : types) {
          TypeState t = pool.types[i];
          if (!Dims.fits(new long[next.length], next, t.alloc)) {
            continue;
          }
          if (reqsChanged && !pool.typeCompatible(t, merged)) {
            continue;
          }
          keep[n++] = i;
        }
        if (n == 0 || !pool.satisfiesMinValues(keep, n, merged)) {
          continue;
        }
        System.arraycopy(next, 0, used, 0, used.length);
        boolean narrowed = n != types.length;
        types = java.util.Arrays.copyOf(keep, n);
        reqs = merged;
        pods.add(p.pod.id());
        if (narrowed) {
          reserve();
        }
        return true;
      }
      return false;
    }

    NewNodeClaim finish(int maxTypes) {
      List<TypeState> opts = new ArrayList<>();
      for (int i : types) {
        opts.add(pool.types[i]);
      }
      Map<TypeState, Double> price = new HashMap<>();
      for (TypeState t : opts) {
        double best = Double.POSITIVE_INFINITY;
        for (Offering o : t.it.offerings()) {
          if (o.available() && o.compatibleWith(reqs) && o.price() < best) {
            best = o.price();
          }
        }
        price.put(t, best);
      }
      opts.sort(
          Comparator.comparingDouble((TypeState t) -> price.get(t))
              .thenComparing(t -> t.it.name()));
      List<TypeState> chosen = truncate(opts, maxTypes);
      List<InstanceType> its = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (TypeState t : chosen) {
        its.add(t.it);
        names.add(t.it.name());
      }
      Requirements out =
          reqs.without(WellKnownLabels.HOSTNAME)
              .and(Requirement.in(WellKnownLabels.INSTANCE_TYPE, names));
      return new NewNodeClaim(
          hostname,
          pool.np.name(),
          out,
          its,
          pool.np.labels(),
          pool.np.taints(),
          pool.np.startupTaints(),
          pods,
          dims.toResources(used),
          chosen.isEmpty() ? 0 : price.get(chosen.get(0)));
    }

    /** The cheapest maxTypes options, extended when needed to keep every minValues satisfied. */
    private List<TypeState> truncate(List<TypeState> opts, int maxTypes) {
      if (opts.size() <= maxTypes) {
        return opts;
      }
      List<TypeState> chosen = new ArrayList<>(opts.subList(0, maxTypes));
      for (Requirement r : reqs.all()) {
        Integer mv = r.minValues();
        if (mv == null || mv <= 1) {
          continue;
        }
        Set<String> seen = new HashSet<>();
        for (TypeState t : chosen) {
          pool.collectValues(t, r, reqs, seen);
        }
        for (int i = maxTypes; i < opts.size() && seen.size() < mv; i++) {
          Set<String> vals = new HashSet<>();
          pool.collectValues(opts.get(i), r, reqs, vals);
          if (!seen.containsAll(vals)) {
            seen.addAll(vals);
            chosen.add(opts.get(i));
          }
        }
      }
      return chosen;
    }
  }
}
