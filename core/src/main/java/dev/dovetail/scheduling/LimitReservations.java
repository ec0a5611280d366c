package dev.dovetail.scheduling;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NodePool limits during a solve. Each planned claim holds, against its pool's remaining limits,
 * the largest capacity among the instance types it may still launch as (plus one node), so no
 * launch the solve plans can exceed a limit whichever option the cloud picks. When a pool has room
 * for {@value #COARSE_HEADROOM} more nodes of its largest type, a claim holds one such node at once
 * and skips the per-pod bookkeeping ("coarse").
 */
final class LimitReservations {
  /**
   * How many of the pool's largest nodes its limits must still hold for a claim to go coarse. At 1,
   * a real catalog's largest type (24 TiB of memory on AWS) made a handful of claims hold a 160,000
   * GiB limit whole: every claim after them was refused the pool, and 3,333 pods that fit 557
   * claims of one pool spilled into the next (658 claims, dearer).
   */
  static final long COARSE_HEADROOM = 1_000;

  private final ReqTable table;
  private final InstanceOptions options;

  LimitReservations(ReqTable table, InstanceOptions options) {
    this.table = table;
    this.options = options;
  }

  /** The types a new claim of the pool may start with: those within limits; null if none. */
  long[] openBits(PoolState pool) {
    long[] bits = pool.allBits.clone();
    if (pool.remaining == null || pool.fitsLargest()) {
      return bits;
    }
    boolean any = false;
    long[] left = pool.remainingOfLimitKeys();
    for (int i = 0; i < pool.types.length; i++) {
      if (!pool.withinLimits(i, left)) {
        bits[i >>> 6] &= ~(1L << i);
      } else {
        any = true;
      }
    }
    return any ? bits : null;
  }

  /** Whether the claim may take on options {@code bits} for {@code used} within the limits. */
  boolean fits(ClaimBin c, long[] bits, long[] used, int softId) {
    PoolState pool = c.pool;
    if (pool.remaining == null
        || c.coarse
        || (!c.reservedOnce && pool.fitsLargest(COARSE_HEADROOM))
        // No growth can hold more than one largest node: nothing to work out while that fits
        // (walking the claim's options for every upsize the placer tried was a third of a
        // 20,000-pod pass's solve).
        || pool.fitsLargest()) {
      return true;
    }
    Map<String, Long> next = holding(pool, bits, used, softId);
    for (Map.Entry<String, Long> e : pool.remaining.entrySet()) {
      if (e.getKey().equals("nodes")) {
        if (c.reserved.isEmpty() && c.cheapest < 0 && e.getValue() < 1) {
          return false;
        }
        continue;
      }
      long delta = next.getOrDefault(e.getKey(), 0L) - c.reserved.getOrDefault(e.getKey(), 0L);
      if (delta > e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Updates what the claim holds to its current options. */
  void reserve(ClaimBin c) {
    PoolState pool = c.pool;
    if (pool.remaining == null || c.coarse) {
      return;
    }
    boolean first = c.reserved.isEmpty() && !c.reservedOnce;
    if (first && pool.fitsLargest(COARSE_HEADROOM)) {
      c.coarse = true;
      c.reservedOnce = true;
      pool.remaining.replaceAll(
          (k, v) -> v - (k.equals("nodes") ? 1 : pool.largest.getOrDefault(k, 0L)));
      c.reserved = pool.largest;
      return;
    }
    Map<String, Long> next = holding(pool, c.bits, c.used, table.and(c.hard, c.soft));
    for (Map.Entry<String, Long> e : pool.remaining.entrySet()) {
      String k = e.getKey();
      if (k.equals("nodes")) {
        if (first) {
          e.setValue(e.getValue() - 1);
        }
        continue;
      }
      e.setValue(e.getValue() - next.getOrDefault(k, 0L) + c.reserved.getOrDefault(k, 0L));
    }
    c.reserved = next;
    c.reservedOnce = true;
  }

  /** Gives back what a claim dropped from the plan held, its node included. */
  void release(ClaimBin c) {
    PoolState pool = c.pool;
    if (pool.remaining == null || !c.reservedOnce) {
      return;
    }
    Map<String, Long> held = c.reserved;
    pool.remaining.replaceAll((k, v) -> v + (k.equals("nodes") ? 1 : held.getOrDefault(k, 0L)));
    c.reserved = Map.of();
  }

  /** The largest capacity per limited resource among the claim's launchable options. */
  private Map<String, Long> holding(PoolState pool, long[] bits, long[] used, int softId) {
    List<Integer> idx = options.indices(pool, bits, used, softId);
    if (idx.isEmpty()) {
      return Map.of();
    }
    long[][] cap = pool.limitCapacity;
    long[] max = new long[cap.length];
    for (int i : idx) {
      for (int k = 0; k < cap.length; k++) {
        max[k] = Math.max(max[k], cap[k][i]);
      }
    }
    Map<String, Long> out = new HashMap<>();
    for (int k = 0; k < cap.length; k++) {
      out.put(pool.limitKeys[k], max[k]);
    }
    return out;
  }
}
