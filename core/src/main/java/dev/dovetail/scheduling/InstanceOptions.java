package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The instance types a claim offers: those of its bitset that hold what it uses, cheapest first
 * under its requirements, cut to maxInstanceTypes and extended when needed to keep every minValues.
 * The limits reservation uses the same list, so what is offered is what is held.
 */
final class InstanceOptions {
  private final ReqTable table;
  private final int maxInstanceTypes;

  InstanceOptions(ReqTable table, int maxInstanceTypes) {
    this.table = table;
    this.maxInstanceTypes = maxInstanceTypes;
  }

  int max() {
    return maxInstanceTypes;
  }

  /** Indices (into the pool's types) of the options for {@code used} under {@code softId}. */
  List<Integer> indices(PoolState pool, long[] bits, long[] used, int softId) {
    double[] price = pool.prices(softId);
    // Walked in price order, so without minValues the walk stops at the cap: the limits
    // reservation asks this for every plan near a NodePool limit, over hundreds of types.
    int[] order = pool.priceOrder(softId);
    List<Integer> fitting = new ArrayList<>();
    for (int i : order) {
      if ((bits[i >>> 6] & (1L << i)) != 0
          && price[i] < Double.POSITIVE_INFINITY
          && Dims.fits(used, pool.alloc[i])) {
        fitting.add(i);
        if (!pool.hasMinValues && fitting.size() == maxInstanceTypes) {
          break;
        }
      }
    }
    if (fitting.size() <= maxInstanceTypes) {
      return fitting;
    }
    List<Integer> chosen = new ArrayList<>(fitting.subList(0, maxInstanceTypes));
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
      for (int i = maxInstanceTypes; i < fitting.size() && seen.size() < mv; i++) {
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

  /** The types at {@code idx}, cheapest first under {@code reqId}, unavailable ones dropped. */
  static List<InstanceType> sortedByPrice(PoolState pool, List<Integer> idx, int reqId) {
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
}
