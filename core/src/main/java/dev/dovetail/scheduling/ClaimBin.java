package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A NodeClaim being planned: its requirements so far (interned), what its pods use, the instance
 * types still possible (a bitset over its pool's price-ordered types) and the cheapest of them.
 */
final class ClaimBin extends Bin {
  final PoolState pool;
  final String hostname;
  private final ReqTable table;
  int hard;
  int soft;
  final long[] used;
  long[] bits;
  int cheapest = -1;

  /** Spare cpu and memory on the current cheapest type (the tightest-fit index orders by these). */
  long slack;

  long slackMem;
  final int seq;
  final List<String> pods = new ArrayList<>(4);
  final List<PodClass> podClasses = new ArrayList<>(4);
  final List<PodClass.Variant> podVariants = new ArrayList<>(4);

  /** What this claim holds of its NodePool's limits (see {@link LimitReservations}). */
  Map<String, Long> reserved = Map.of();

  boolean reservedOnce;

  /** Holds the pool's largest capacity since it was opened: no per-pod bookkeeping. */
  boolean coarse;

  ClaimBin(
      PoolState pool,
      ReqTable table,
      String hostname,
      int seq,
      int hard,
      int soft,
      long[] used,
      long[] bits) {
    this.pool = pool;
    this.table = table;
    this.hostname = hostname;
    this.seq = seq;
    this.hard = hard;
    this.soft = soft;
    this.used = used;
    this.bits = bits;
  }

  /** A key-only instance for ceiling lookups in the slack index. */
  static ClaimBin probe() {
    return new ClaimBin(null, null, null, -1, -1, -1, null, null);
  }

  @Override
  String value(String key) {
    if (WellKnownLabels.HOSTNAME.equals(key)) {
      return hostname;
    }
    return table.single(hard, key);
  }

  /**
   * Whether requirements {@code hard} (another claim's, or this one's after a plan) keep this
   * claim's domain for every non-hostname topology key the pod variant depends on: a pod the repair
   * and merge passes move must stay in the zone (or other domain) its constraints were counted in.
   */
  boolean keepsDomains(int hard, PodClass.Variant v) {
    for (String key : v.keys) {
      String a = table.single(this.hard, key);
      if (a == null || !a.equals(table.single(hard, key))) {
        return false;
      }
    }
    return true;
  }

  /** Makes type i the cheapest option: clears every cheaper bit and updates the slack. */
  void settleOn(int i) {
    for (int b = PoolState.nextBit(bits, 0); b >= 0 && b < i; b = PoolState.nextBit(bits, b + 1)) {
      bits[b >>> 6] &= ~(1L << b);
    }
    cheapest = i;
    slack = pool.alloc[i][Dims.CPU] - used[Dims.CPU];
    slackMem = pool.alloc[i][Dims.MEMORY] - used[Dims.MEMORY];
  }
}
