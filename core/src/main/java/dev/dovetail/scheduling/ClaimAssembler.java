package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a planned claim into the {@link NewNodeClaim} of the result: its instance-type options
 * (preferred ones first, the rest of the hard-compatible ones as a fallback), requirements without
 * the planning hostname, and the price of its cheapest option.
 */
final class ClaimAssembler {
  private final ReqTable table;
  private final Dims dims;
  private final InstanceOptions options;
  private final boolean relaxMinValues;

  ClaimAssembler(ReqTable table, Dims dims, InstanceOptions options, boolean relaxMinValues) {
    this.table = table;
    this.dims = dims;
    this.options = options;
    this.relaxMinValues = relaxMinValues;
  }

  NewNodeClaim assemble(ClaimBin c) {
    PoolState pool = c.pool;
    int both = table.and(c.hard, c.soft);
    Requirements hard = table.get(c.hard);
    List<InstanceType> chosen = new ArrayList<>();
    for (int i : options.indices(pool, c.bits, c.used, both)) {
      chosen.add(pool.types[i]);
    }
    if (pool.remaining == null && c.soft != c.hard && chosen.size() < options.max()) {
      // Preferences narrowed the choice; keep the other types as a fallback after the preferred
      // ones so a met preference never becomes a hard requirement of the NodeClaim.
      addFallbacks(c, chosen);
    }
    List<String> names = new ArrayList<>(chosen.size());
    for (InstanceType t : chosen) {
      names.add(t.name());
    }
    Requirements relaxed = relaxMinValues ? relaxMinValues(hard, chosen, table.get(both)) : hard;
    boolean minValuesRelaxed = relaxed != hard;
    Requirements out =
        relaxed
            .without(WellKnownLabels.HOSTNAME)
            .and(Requirement.in(WellKnownLabels.INSTANCE_TYPE, names));
    double price = chosen.isEmpty() ? 0 : PoolState.cheapest(chosen.get(0), table.get(both));
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
        price,
        minValuesRelaxed);
  }

  /**
   * The requirements with each minValues the chosen types cannot reach lowered to what they reach
   * (the planner only lets such a claim through under the BestEffort policy); the same object when
   * every minValues is met.
   */
  static Requirements relaxMinValues(
      Requirements hard, List<InstanceType> chosen, Requirements under) {
    Requirements out = hard;
    for (Requirement r : hard.all()) {
      Integer mv = r.minValues();
      if (mv == null || mv <= 1) {
        continue;
      }
      Set<String> seen = new HashSet<>();
      for (InstanceType t : chosen) {
        PoolState.collectValues(t, r, under, seen);
      }
      if (seen.size() < mv) {
        out = out.without(r.key()).and(r.withMinValues(seen.size()));
      }
    }
    return out;
  }

  private void addFallbacks(ClaimBin c, List<InstanceType> chosen) {
    PoolState pool = c.pool;
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
    for (InstanceType t : InstanceOptions.sortedByPrice(pool, extra, c.hard)) {
      if (chosen.size() >= options.max()) {
        break;
      }
      chosen.add(t);
    }
  }
}
