package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Quantities;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A NodePool compiled for one solve: its usable instance types sorted by price with their
 * allocatable vectors, the daemonset overhead of its nodes, remaining limits, and caches of which
 * types satisfy which interned requirements.
 */
final class PoolState {
  final NodePoolTemplate np;
  final int index;
  final ReqTable table;
  final Dims dims;
  final int baseId;
  final Requirements base;
  final Set<String> defined;
  final Set<String> allowUndefined;
  final CompiledCatalog catalog;
  final InstanceType[] types;
  final long[][] alloc;
  final long[][] capacity;
  final double[] price;
  final long[] overhead;
  final long[] allBits;
  final Map<String, Long> remaining; // null = unlimited

  /** The limited resources other than nodes (none when unlimited). */
  final String[] limitKeys;

  /**
   * Each type's capacity of each of {@link #limitKeys} ({@code [key][type]}): the limits checks run
   * for every planned claim near a limit, over hundreds of types, and reading capacities from the
   * types' maps there took a third of a 20,000-pod whole-path run's provisioner CPU.
   */
  final long[][] limitCapacity;

  private final Map<Integer, int[]> priceOrders = new HashMap<>();
  final boolean hasMinValues;
  private final Map<Integer, long[]> masks = new HashMap<>();
  private final Map<Long, Boolean> compat = new HashMap<>();

  PoolState(NodePoolTemplate np, int index, Dims dims, ReqTable table, CatalogCache catalogs) {
    this.np = np;
    this.index = index;
    this.table = table;
    this.dims = dims;
    this.base =
        np.requirements()
            .and(Requirements.fromLabels(np.labels()))
            .and(Requirement.in(WellKnownLabels.NODE_POOL, np.name()));
    this.baseId = table.intern(base);
    this.catalog = catalogs.get(np, base, dims);
    this.defined = catalog.defined;
    this.allowUndefined = catalog.allowUndefined;
    this.types = catalog.types;
    this.alloc = catalog.alloc;
    this.capacity = catalog.capacity;
    this.price = catalog.price;
    this.allBits = catalog.allBits;
    overhead = new long[dims.size()];
    if (np.limits().isEmpty()) {
      remaining = null;
    } else {
      remaining = new HashMap<>();
      np.limits().asMap().forEach((k, v) -> remaining.put(k, v - np.usage().get(k)));
    }
    limitKeys =
        remaining == null
            ? new String[0]
            : remaining.keySet().stream().filter(k -> !k.equals("nodes")).toArray(String[]::new);
    limitCapacity = new long[limitKeys.length][types.length];
    for (int k = 0; k < limitKeys.length; k++) {
      for (int i = 0; i < types.length; i++) {
        limitCapacity[k][i] = types[i].capacity().get(limitKeys[k]);
      }
    }
    boolean mv = false;
    for (Requirement r : np.requirements().all()) {
      mv |= r.minValues() != null && r.minValues() > 1;
    }
    hasMinValues = mv;
  }

  /** Adds the daemonsets that would run on this pool's nodes to every new node's usage. */
  void addDaemonSets(List<PodClass> daemons) {
    for (PodClass ds : daemons) {
      if (Taints.firstUntolerated(np.taints(), ds.pod.tolerations()) != null) {
        continue;
      }
      boolean ok = ds.requiredTerms.isEmpty() && base.isCompatible(ds.base, allowUndefined);
      for (Requirements t : ds.requiredTerms) {
        ok |= base.isCompatible(ds.base.and(t), allowUndefined);
      }
      if (ok) {
        Dims.addInto(overhead, ds.req);
      }
    }
  }

  static double cheapest(InstanceType it, Requirements reqs) {
    return CompiledCatalog.cheapest(it, reqs);
  }

  /** Whether type i can satisfy reqs: labels intersect and an available offering matches. */
  boolean typeCompatible(int i, Requirements reqs) {
    return catalog.typeCompatible(i, reqs);
  }

  /** Bitset (over {@link #types}) of the types compatible with interned requirements. */
  long[] mask(int reqId) {
    long[] m = masks.get(reqId);
    if (m == null) {
      m = catalog.mask(table.get(reqId));
      masks.put(reqId, m);
    }
    return m;
  }

  /** Whether a node with requirements {@code nodeReq} may take a pod term {@code podReq}. */
  boolean compatible(int nodeReq, int podReq) {
    long key = ((long) nodeReq << 32) | podReq;
    Boolean b = compat.get(key);
    if (b == null) {
      b = table.get(nodeReq).isCompatible(table.get(podReq), allowUndefined);
      if (b) {
        // A specific hostname cannot be promised for a node that does not exist yet.
        Requirement h = table.get(podReq).get(WellKnownLabels.HOSTNAME);
        b = h == null || allowsAbsent(h);
      }
      compat.put(key, b);
    }
    return b;
  }

  String incompatibility(int podReq) {
    var why = base.compatible(table.get(podReq), allowUndefined);
    if (why.isPresent()) {
      return "NodePool " + np.name() + ": " + why.get();
    }
    Requirement h = table.get(podReq).get(WellKnownLabels.HOSTNAME);
    if (h != null && !allowsAbsent(h)) {
      return "NodePool " + np.name() + ": a new node cannot have the required hostname " + h;
    }
    return null;
  }

  /** Values a node of this pool could carry for a label key (for topology domains). */
  List<String> domainValues(String key) {
    return catalog.domainValues(key);
  }

  /** Whether types {@code bits} that fit {@code used} span every minValues of reqs. */
  boolean satisfiesMinValues(long[] bits, long[] used, Requirements reqs) {
    if (!hasMinValues) {
      return true;
    }
    for (Requirement r : reqs.all()) {
      Integer mv = r.minValues();
      if (mv == null || mv <= 1) {
        continue;
      }
      Set<String> seen = new HashSet<>();
      for (int i = nextBit(bits, 0); i >= 0 && seen.size() < mv; i = nextBit(bits, i + 1)) {
        if (Dims.fits(used, alloc[i])) {
          collectValues(types[i], r, reqs, seen);
        }
      }
      if (seen.size() < mv) {
        return false;
      }
    }
    return true;
  }

  static void collectValues(InstanceType t, Requirement r, Requirements reqs, Set<String> into) {
    String key = r.key();
    if (key.equals(WellKnownLabels.INSTANCE_TYPE)) {
      into.add(t.name());
      return;
    }
    if (key.equals(WellKnownLabels.ZONE) || key.equals(WellKnownLabels.CAPACITY_TYPE)) {
      for (Offering o : t.offerings()) {
        if (o.available() && o.compatibleWith(reqs)) {
          String v = key.equals(WellKnownLabels.ZONE) ? o.zone() : o.capacityType();
          if (r.has(v)) {
            into.add(v);
          }
        }
      }
      return;
    }
    Requirement tr = t.requirements().get(key);
    if (tr != null && !tr.complement()) {
      for (String v : tr.values()) {
        if (r.has(v)) {
          into.add(v);
        }
      }
    }
  }

  /**
   * What capacity left unused on a node is worth, in $/h: each resource priced at half the median
   * price per unit over the pool's types (a type's price pays for cpu and memory together).
   */
  double wasteValue(long cpuMillis, long memBytes) {
    return catalog.cpuWeight * cpuMillis + catalog.memWeight * memBytes;
  }

  /** A lower bound on a new node's price for a pod: the cheapest type holding it (any labels). */
  double cheapestFor(long[] req) {
    for (int i = 0; i < types.length; i++) {
      boolean fits = true;
      for (int d = 0; d < req.length && fits; d++) {
        fits = req[d] + overhead[d] <= alloc[i][d] || req[d] + overhead[d] <= 0;
      }
      if (fits) {
        return price[i];
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** The largest capacity of any type, per limited resource. */
  Map<String, Long> largest = Map.of();

  /** Whether the remaining limits still hold one more node of the largest capacity. */
  boolean fitsLargest() {
    return fitsLargest(1);
  }

  /** Whether the remaining limits still hold {@code times} more nodes of the largest capacity. */
  boolean fitsLargest(long times) {
    if (largest.isEmpty() && remaining != null) {
      largest = catalog.largestCapacity(remaining.keySet());
    }
    for (Map.Entry<String, Long> e : remaining.entrySet()) {
      long one = e.getKey().equals("nodes") ? 1 : largest.getOrDefault(e.getKey(), 0L);
      if (one > 0 && e.getValue() / one < times) {
        return false;
      }
    }
    return true;
  }

  private final Map<Integer, double[]> priceCache = new HashMap<>();

  /**
   * Each type's cheapest available offering under interned requirements; element {@code
   * types.length} is 1 when those prices keep the pool's order (no re-sort needed), else 0.
   */
  double[] prices(int reqId) {
    double[] p = priceCache.get(reqId);
    if (p == null) {
      p = catalog.prices(table.get(reqId));
      priceCache.put(reqId, p);
    }
    return p;
  }

  /** Type indices in the order of {@link #prices}{@code (reqId)}: cheapest first, ties by index. */
  int[] priceOrder(int reqId) {
    int[] order = priceOrders.get(reqId);
    if (order == null) {
      double[] p = prices(reqId);
      Integer[] boxed = new Integer[types.length];
      for (int i = 0; i < boxed.length; i++) {
        boxed[i] = i;
      }
      if (p[types.length] == 0) {
        Arrays.sort(
            boxed, Comparator.comparingDouble((Integer i) -> p[i]).thenComparingInt(i -> i));
      }
      order = new int[types.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = boxed[i];
      }
      priceOrders.put(reqId, order);
    }
    return order;
  }

  /** What is left of each of {@link #limitKeys} (callers check {@code remaining != null}). */
  long[] remainingOfLimitKeys() {
    long[] left = new long[limitKeys.length];
    for (int k = 0; k < left.length; k++) {
      left[k] = remaining.get(limitKeys[k]);
    }
    return left;
  }

  /**
   * Whether a new node of type i may be added on top of what is already reserved, given {@link
   * #remainingOfLimitKeys()} (read once by the caller for all types).
   */
  boolean withinLimits(int i, long[] left) {
    Long nodes = remaining.get("nodes");
    if (nodes != null && nodes < 1) {
      return false;
    }
    for (int k = 0; k < left.length; k++) {
      if (limitCapacity[k][i] > left[k]) {
        return false;
      }
    }
    return true;
  }

  String limitMessage() {
    List<String> parts = new ArrayList<>();
    if (remaining != null) {
      for (String k : remaining.keySet()) {
        parts.add(k + " limit " + Quantities.format(k, np.limits().get(k)));
      }
    }
    return "NodePool " + np.name() + " " + String.join(", ", parts) + " reached";
  }

  static boolean allowsAbsent(Requirement r) {
    if (r.greaterThan() != null || r.lessThan() != null) {
      return false;
    }
    Operator op = r.operator();
    return op == Operator.NotIn || op == Operator.DoesNotExist;
  }

  /** The first (cheapest) type of {@code bits} that fits {@code used}, or -1. */
  int firstFit(long[] bits, long[] used) {
    for (int i = nextBit(bits, 0); i >= 0 && i < types.length; i = nextBit(bits, i + 1)) {
      if (Dims.fits(used, alloc[i])) {
        return i;
      }
    }
    return -1;
  }

  /** The highest set bit of {@code bits} below {@code before}, or -1. */
  static int prevBit(long[] bits, int before) {
    int i = before - 1;
    if (i < 0) {
      return -1;
    }
    int w = Math.min(i >>> 6, bits.length - 1);
    long word = w == i >>> 6 ? bits[w] & (-1L >>> (63 - (i & 63))) : bits[w];
    while (true) {
      if (word != 0) {
        return (w << 6) + 63 - Long.numberOfLeadingZeros(word);
      }
      if (--w < 0) {
        return -1;
      }
      word = bits[w];
    }
  }

  static int nextBit(long[] bits, int from) {
    int w = from >>> 6;
    if (w >= bits.length) {
      return -1;
    }
    long word = bits[w] & (-1L << (from & 63));
    while (true) {
      if (word != 0) {
        return (w << 6) + Long.numberOfTrailingZeros(word);
      }
      if (++w == bits.length) {
        return -1;
      }
      word = bits[w];
    }
  }
}
