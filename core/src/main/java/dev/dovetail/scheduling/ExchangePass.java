package dev.dovetail.scheduling;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An improvement pass after the {@link RepairPass}: exchanges two pods of different claims that are
 * identical but for their requests (same namespace, labels, node requirements, tolerations,
 * topology terms and relaxation step). Such an exchange leaves every node's labels as they were, so
 * no topology count, affinity or spread changes and every constraint that held still holds; only
 * the requests move, and with them the instance type each claim needs.
 *
 * <p>An exchange is kept when the two claims together get cheaper, or stay at the same price while
 * spare room gathers on one of them: the potential of a claim is how close it is, in cpu and memory
 * together, to fitting its next cheaper type, squared, so the search prefers exchanges that empty
 * one claim towards a smaller type over ones that spread the room evenly (where no claim can ever
 * drop). The greedy pass leaves every claim's binding dimension nearly full, so no single exchange
 * can drop a claim a size at once: what is left is the balance of cpu against memory across claims
 * and the rounding to whole sizes, which these level exchanges gather up step by step.
 *
 * <p>Claims of NodePools with minValues, claims holding a share of their NodePool's limits per pod
 * (not {@link ClaimBin#coarse}) and claims whose preferences narrowed their types are left alone:
 * their bookkeeping is more than the used vector. Candidates are drawn with a fixed seed, so a
 * solve stays deterministic, in rounds of one draw per movable pod: at most {@code drawsPerPod}
 * rounds, stopping after {@link #IDLE_ROUNDS} rounds in which no claim got cheaper. Groups whose
 * pods are all alone on their claims are skipped (exchanging them only swaps the claims' roles).
 */
final class ExchangePass {
  /** Rounds of draws without a claim getting cheaper after which the pass stops. */
  private static final int IDLE_ROUNDS = 2;

  private static final int NONE = 0;
  private static final int LEVEL = 1;
  private static final int CHEAPER = 2;

  /** Rounds of draws, one draw per movable pod each. */
  private final int drawsPerPod;

  private final PlannedClaims claims;
  private final MovableSlots slots;
  private final SplittableRandom random = new SplittableRandom(42);

  private final List<ClaimBin> bins = new ArrayList<>();
  private final List<long[]> masks = new ArrayList<>();

  /** Per claim (index into bins): the next cheaper type of its mask, and its potential. */
  private int[] prev;

  private double[] phi;

  /** Per claim: the price of the next pricier type of its mask (infinite when none). */
  private double[] upPrice;

  /** Movable pods as slots (claim index, position on it), grouped by exchange key. */
  private int[] slotClaim;

  private int[] slotPos;

  /** The requests of the pod in each slot (exchanges swap them between the two slots). */
  private long[][] slotReq;

  private ClaimBin[] binArray;
  private int[] slotGroupStart;
  private int[] slotGroupEnd;

  private long[] scratchA = new long[0];
  private long[] scratchB = new long[0];

  ExchangePass(PlannedClaims claims, int drawsPerPod) {
    this(claims, MovableSlots.of(claims), drawsPerPod);
  }

  /** With the claims' {@link MovableSlots} already collected. */
  ExchangePass(PlannedClaims claims, MovableSlots slots, int drawsPerPod) {
    this.claims = claims;
    this.slots = slots;
    this.drawsPerPod = drawsPerPod;
  }

  /** Runs the pass; returns how many exchanges were kept. */
  int run() {
    collect();
    int slots = slotClaim.length;
    if (slots < 2) {
      return 0;
    }
    int kept = 0;
    int idle = 0;
    for (int round = 0; round < drawsPerPod && idle < IDLE_ROUNDS; round++) {
      int drops = 0;
      for (int n = 0; n < slots; n++) {
        int s = random.nextInt(slots);
        int lo = slotGroupStart[s];
        int t = lo + random.nextInt(slotGroupEnd[s] - lo);
        int ca = slotClaim[s];
        int cb = slotClaim[t];
        if (ca == cb) {
          continue;
        }
        int result = tryExchange(ca, slotPos[s], slotReq[s], cb, slotPos[t], slotReq[t]);
        if (result != NONE) {
          long[] r = slotReq[s];
          slotReq[s] = slotReq[t];
          slotReq[t] = r;
          kept++;
          drops += result == CHEAPER ? 1 : 0;
        }
      }
      idle = drops == 0 ? idle + 1 : 0;
    }
    return kept;
  }

  /** Tries one exchange: {@link #NONE} (not kept), {@link #LEVEL} or {@link #CHEAPER}. */
  private int tryExchange(int ia, int k, long[] p, int ib, int l, long[] q) {
    if (p == q) {
      return NONE;
    }
    ClaimBin a = binArray[ia];
    ClaimBin b = binArray[ib];
    long[] maskA = masks.get(ia);
    long[] maskB = masks.get(ib);
    if (scratchA.length != a.used.length) {
      scratchA = new long[a.used.length];
      scratchB = new long[a.used.length];
    }
    long[] ua = scratchA;
    long[] ub = scratchB;
    for (int d = 0; d < ua.length; d++) {
      ua[d] = a.used[d] + q[d] - p[d];
      ub[d] = b.used[d] + p[d] - q[d];
    }
    double before = a.pool.price[a.cheapest] + b.pool.price[b.cheapest];
    if (floor(a, ia, ua) + floor(b, ib, ub) > before + 1e-9) {
      return NONE; // the pair gets dearer whatever types typeAfter finds (~90 % of the draws)
    }
    int ta = typeAfter(a, prev[ia], maskA, ua);
    if (ta < 0) {
      return NONE;
    }
    int tb = typeAfter(b, prev[ib], maskB, ub);
    if (tb < 0) {
      return NONE;
    }
    double after = a.pool.price[ta] + b.pool.price[tb];
    if (after > before + 1e-9) {
      return NONE;
    }
    boolean level = after > before - 1e-9;
    if (level) {
      double phiA = potential(a.pool, ta == a.cheapest ? prev[ia] : -2, maskA, ua, ta);
      double phiB = potential(b.pool, tb == b.cheapest ? prev[ib] : -2, maskB, ub, tb);
      if (phiA + phiB - phi[ia] - phi[ib] <= 1e-12) {
        return NONE;
      }
    }
    if (!claims.exchange(a, k, b, l, maskA, maskB)) {
      return NONE;
    }
    settled(ia);
    settled(ib);
    return level ? LEVEL : CHEAPER;
  }

  /**
   * A lower bound on the price of the type claim c (index i) needs for {@code used}, without
   * searching for that type: the next pricier type of its mask when its current one is too small
   * (types are sorted by price, so {@link #typeAfter} can find nothing cheaper), its current price
   * when it cannot drop to its next cheaper type, else 0. Lets the pass reject an exchange that
   * makes the pair dearer without walking the types upwards; the decision is the same as the full
   * check's.
   */
  private double floor(ClaimBin c, int i, long[] used) {
    PoolState pool = c.pool;
    if (!Dims.fits(used, pool.alloc[c.cheapest])) {
      return upPrice[i];
    }
    int below = prev[i];
    return below >= 0 && Dims.fits(used, pool.alloc[below]) ? 0 : pool.price[c.cheapest];
  }

  /** Refreshes the cached next cheaper type and potential of claim i after it changed. */
  private void settled(int i) {
    ClaimBin c = bins.get(i);
    long[] mask = masks.get(i);
    prev[i] = PoolState.prevBit(mask, c.cheapest);
    int up = PoolState.nextBit(mask, c.cheapest + 1);
    upPrice[i] = up >= 0 && up < c.pool.types.length ? c.pool.price[up] : Double.POSITIVE_INFINITY;
    phi[i] = potential(c.pool, prev[i], mask, c.used, c.cheapest);
  }

  /**
   * The type claim c needs for {@code used}: its current one or the cheaper ones just below that
   * still fit, else the first pricier one that fits; -1 when none does.
   */
  private static int typeAfter(ClaimBin c, int below, long[] mask, long[] used) {
    PoolState pool = c.pool;
    int t = c.cheapest;
    if (Dims.fits(used, pool.alloc[t])) {
      for (int i = below;
          i >= 0 && Dims.fits(used, pool.alloc[i]);
          i = PoolState.prevBit(mask, i)) {
        t = i;
      }
      return t;
    }
    for (int i = PoolState.nextBit(mask, t + 1);
        i >= 0 && i < pool.types.length;
        i = PoolState.nextBit(mask, i + 1)) {
      if (Dims.fits(used, pool.alloc[i])) {
        return i;
      }
    }
    return -1;
  }

  /**
   * How close a claim on type t using {@code used} is to fitting the next cheaper type: the share
   * of the cpu and of the memory it would have to shed that it already has spare, summed, squared.
   */
  static double potential(PoolState pool, int below, long[] mask, long[] used, int t) {
    int smaller = below == -2 ? PoolState.prevBit(mask, t) : below;
    if (smaller < 0) {
      return 0;
    }
    double s =
        progress(used[Dims.CPU], pool.alloc[smaller][Dims.CPU], pool.alloc[t][Dims.CPU])
            + progress(
                used[Dims.MEMORY], pool.alloc[smaller][Dims.MEMORY], pool.alloc[t][Dims.MEMORY]);
    return s * s;
  }

  private static double progress(long used, long smallerCap, long cap) {
    long over = used - smallerCap;
    if (over <= 0) {
      return 1;
    }
    long step = cap - smallerCap;
    return step <= 0 ? 0 : Math.max(0, 1 - (double) over / step);
  }

  /**
   * Whether exchanges within a group can change anything: it has two pods and one shares its claim
   * with another pod (exchanging the pods of two one-pod claims only swaps the claims' roles).
   */
  private boolean useful(List<int[]> group) {
    if (group.size() < 2) {
      return false;
    }
    for (int[] slot : group) {
      if (bins.get(slot[0]).pods.size() > 1) {
        return true;
      }
    }
    return false;
  }

  /** Finds the claims and pods the pass may touch and groups the pods by exchange key. */
  private void collect() {
    bins.addAll(slots.bins());
    masks.addAll(slots.masks());
    List<List<int[]>> groups = slots.groups();
    prev = new int[bins.size()];
    phi = new double[bins.size()];
    upPrice = new double[bins.size()];
    for (int i = 0; i < bins.size(); i++) {
      settled(i);
    }
    int n = 0;
    for (int g = 0; g < groups.size(); g++) {
      if (!useful(groups.get(g))) {
        groups.set(g, List.of());
      }
      n += groups.get(g).size();
    }
    binArray = bins.toArray(new ClaimBin[0]);
    slotClaim = new int[n];
    slotPos = new int[n];
    slotReq = new long[n][];
    slotGroupStart = new int[n];
    slotGroupEnd = new int[n];
    int at = 0;
    for (List<int[]> g : groups) {
      if (g.isEmpty()) {
        continue;
      }
      int start = at;
      for (int[] s : g) {
        slotClaim[at] = s[0];
        slotPos[at] = s[1];
        slotReq[at] = bins.get(s[0]).podClasses.get(s[1]).req;
        at++;
      }
      for (int i = start; i < at; i++) {
        slotGroupStart[i] = start;
        slotGroupEnd[i] = at;
      }
    }
  }
}
