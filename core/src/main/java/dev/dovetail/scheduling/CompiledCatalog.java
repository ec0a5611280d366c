package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A NodePool's instance types compiled once per catalog version: the usable types sorted by price
 * with their capacity and allocatable vectors, and caches (keyed by requirement values, so they
 * outlive one solve) of which types satisfy which requirements and at what price. Immutable but for
 * those caches, which are concurrent: solves on several threads may share one.
 *
 * <p>A version is the exact list of {@link InstanceType} objects (by identity) with the pool's base
 * requirements and the solve's resource dimensions; providers that return the same objects while
 * their catalog is unchanged get their types compiled once.
 */
final class CompiledCatalog {
  /** Caches keyed by requirements stop growing here (then start over): bounded memory. */
  private static final int MAX_CACHED = 4096;

  private final List<InstanceType> source;
  private final List<String> dimNames;
  final Requirements base;
  final Set<String> defined;
  final Set<String> allowUndefined;
  final InstanceType[] types;
  final long[][] alloc;
  final long[][] capacity;
  final double[] price;
  final long[] allBits;
  private final Map<Requirements, long[]> masks = new ConcurrentHashMap<>();
  private final Map<Requirements, double[]> prices = new ConcurrentHashMap<>();
  private final Map<String, List<String>> domains = new ConcurrentHashMap<>();
  private final Map<Set<String>, Map<String, Long>> largest = new ConcurrentHashMap<>();

  /** $/h per unit of unused cpu (milli) and memory (byte): see {@link PoolState#wasteValue}. */
  final double cpuWeight;

  final double memWeight;

  CompiledCatalog(List<InstanceType> source, Requirements base, Dims dims) {
    this.source = source;
    this.dimNames = dims.names();
    this.base = base;
    this.defined = Set.copyOf(base.keys());
    Set<String> undefined = new HashSet<>(WellKnownLabels.WELL_KNOWN);
    List<InstanceType> ts = new ArrayList<>();
    // Identity map: InstanceType records hash deeply (requirements, offerings), too slow here.
    Map<InstanceType, Double> prices = new IdentityHashMap<>();
    for (InstanceType it : source) {
      undefined.addAll(it.requirements().keys());
      double p = cheapest(it, base);
      if (p < Double.POSITIVE_INFINITY && labelsCompatible(it, base)) {
        ts.add(it);
        prices.put(it, p);
      }
    }
    this.allowUndefined = Collections.unmodifiableSet(undefined);
    ts.sort(
        Comparator.comparingDouble((InstanceType t) -> prices.get(t))
            .thenComparing(InstanceType::name));
    types = ts.toArray(new InstanceType[0]);
    alloc = new long[types.length][];
    capacity = new long[types.length][];
    price = new double[types.length];
    for (int i = 0; i < types.length; i++) {
      // capacity - overhead, computed on vectors (InstanceType.allocatable() builds maps)
      capacity[i] = dims.vector(types[i].capacity());
      long[] a = capacity[i].clone();
      InstanceType.Overhead o = types[i].overhead();
      for (Resources r :
          new Resources[] {o.kubeReserved(), o.systemReserved(), o.evictionThreshold()}) {
        for (Map.Entry<String, Long> e : r.asMap().entrySet()) {
          int d = dims.indexOf(e.getKey());
          if (d >= 0) {
            a[d] = Math.max(0, a[d] - e.getValue());
          }
        }
      }
      alloc[i] = a;
      price[i] = prices.get(types[i]);
    }
    allBits = new long[(types.length + 63) >>> 6];
    for (int i = 0; i < types.length; i++) {
      allBits[i >>> 6] |= 1L << i;
    }
    double[] c = new double[types.length];
    double[] m = new double[types.length];
    int n = 0;
    for (int i = 0; i < types.length; i++) {
      if (alloc[i][Dims.CPU] > 0 && alloc[i][Dims.MEMORY] > 0) {
        c[n] = price[i] / alloc[i][Dims.CPU];
        m[n] = price[i] / alloc[i][Dims.MEMORY];
        n++;
      }
    }
    java.util.Arrays.sort(c, 0, n);
    java.util.Arrays.sort(m, 0, n);
    cpuWeight = n == 0 ? 0 : c[n / 2] / 2;
    memWeight = n == 0 ? 0 : m[n / 2] / 2;
  }

  /** The largest capacity of any type for each of {@code keys} but "nodes". */
  Map<String, Long> largestCapacity(Set<String> keys) {
    Map<String, Long> cached = largest.get(keys);
    if (cached != null) {
      return cached;
    }
    Map<String, Long> out = new java.util.HashMap<>();
    for (String k : keys) {
      if (!k.equals("nodes")) {
        long max = 0;
        for (InstanceType t : types) {
          max = Math.max(max, t.capacity().get(k));
        }
        out.put(k, max);
      }
    }
    Map<String, Long> result = Map.copyOf(out);
    bounded(largest).put(Set.copyOf(keys), result);
    return result;
  }

  /** Whether this is the compiled form of exactly these types, base requirements and dims. */
  boolean compiledFrom(List<InstanceType> its, Requirements base, Dims dims) {
    if (its != source) {
      if (its.size() != source.size()) {
        return false;
      }
      for (int i = 0; i < its.size(); i++) {
        if (its.get(i) != source.get(i)) {
          return false;
        }
      }
    }
    return base.equals(this.base) && dims.sameNames(dimNames);
  }

  /** Bitset over {@link #types} of the types compatible with reqs (shared: do not modify). */
  long[] mask(Requirements reqs) {
    long[] m = masks.get(reqs);
    if (m == null) {
      m = new long[allBits.length];
      for (int i = 0; i < types.length; i++) {
        if (typeCompatible(i, reqs)) {
          m[i >>> 6] |= 1L << i;
        }
      }
      bounded(masks).put(reqs, m);
    }
    return m;
  }

  /**
   * Each type's cheapest available offering under reqs; element {@code types.length} is 1 when
   * those prices keep the catalog's order (no re-sort needed), else 0 (shared: do not modify).
   */
  double[] prices(Requirements reqs) {
    double[] p = prices.get(reqs);
    if (p == null) {
      p = new double[types.length + 1];
      boolean narrows = narrowsOfferings(reqs);
      boolean sorted = true;
      for (int i = 0; i < types.length; i++) {
        p[i] = narrows ? cheapest(types[i], reqs) : price[i];
        if (i > 0 && p[i] < p[i - 1]) {
          sorted = false;
        }
      }
      p[types.length] = sorted ? 1 : 0;
      bounded(prices).put(reqs, p);
    }
    return p;
  }

  /** Values a node of this catalog could carry for a label key (for topology domains). */
  List<String> domainValues(String key) {
    List<String> cached = domains.get(key);
    if (cached != null) {
      return cached;
    }
    Set<String> out = new LinkedHashSet<>();
    Requirement r = base.get(key);
    if (key.equals(WellKnownLabels.ZONE) || key.equals(WellKnownLabels.CAPACITY_TYPE)) {
      for (InstanceType it : types) {
        for (Offering o : it.offerings()) {
          if (o.available() && o.compatibleWith(base)) {
            out.add(key.equals(WellKnownLabels.ZONE) ? o.zone() : o.capacityType());
          }
        }
      }
    } else if (r != null && !r.complement()) {
      out.addAll(r.values());
    } else {
      for (InstanceType it : types) {
        Requirement tr = it.requirements().get(key);
        if (tr != null && !tr.complement()) {
          for (String v : tr.values()) {
            if (r == null || r.has(v)) {
              out.add(v);
            }
          }
        }
      }
    }
    List<String> l = List.copyOf(out);
    bounded(domains).put(key, l);
    return l;
  }

  private static <K, V> Map<K, V> bounded(Map<K, V> cache) {
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    return cache;
  }

  /** Whether type i can satisfy reqs: labels intersect and an available offering matches. */
  boolean typeCompatible(int i, Requirements reqs) {
    return labelsCompatible(types[i], reqs) && cheapest(types[i], reqs) < Double.POSITIVE_INFINITY;
  }

  static double cheapest(InstanceType it, Requirements reqs) {
    double p = Double.POSITIVE_INFINITY;
    for (Offering o : it.offerings()) {
      if (o.available() && o.compatibleWith(reqs) && o.price() < p) {
        p = o.price();
      }
    }
    return p;
  }

  private boolean labelsCompatible(InstanceType it, Requirements reqs) {
    Requirements tr = it.requirements();
    for (Requirement r : reqs.all()) {
      String key = r.key();
      Requirement mine = tr.get(key);
      if (mine != null) {
        if (!mine.intersects(r)) {
          return false;
        }
      } else if (key.equals(WellKnownLabels.INSTANCE_TYPE)) {
        if (!r.has(it.name())) {
          return false;
        }
      } else if (key.equals(WellKnownLabels.ZONE)
          || key.equals(WellKnownLabels.CAPACITY_TYPE)
          || key.equals(WellKnownLabels.CAPACITY_RESERVATION_ID)
          || key.equals(WellKnownLabels.HOSTNAME)
          || defined.contains(key)) {
        continue;
      } else if (!PoolState.allowsAbsent(r)) {
        return false;
      }
    }
    return true;
  }

  /** Whether reqs restrict offerings (zone, capacity type, reservation) more than the pool does. */
  boolean narrowsOfferings(Requirements reqs) {
    for (String k :
        new String[] {
          WellKnownLabels.ZONE,
          WellKnownLabels.CAPACITY_TYPE,
          WellKnownLabels.CAPACITY_RESERVATION_ID
        }) {
      Requirement r = reqs.get(k);
      if (r != null && !r.equals(base.get(k))) {
        return true;
      }
    }
    return false;
  }
}
