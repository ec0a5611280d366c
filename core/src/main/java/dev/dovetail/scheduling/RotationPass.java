package dev.dovetail.scheduling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An improvement pass after the {@link ExchangePass}: rotates pods that are identical but for their
 * requests around a cycle of claims, when that makes the claims cheaper together. Like an exchange,
 * a rotation leaves every node's labels as they were (each claim gives up one pod of a group and
 * takes another of the same group), so every topology count and every constraint that held still
 * holds; only the requests move.
 *
 * <p>Within one group (the pods of one exchange key) each pod's requests are one of a few request
 * classes, and a slot (a position on a claim) may take any of them. Moving slot j from class x to
 * class y changes its claim's price by {@code delta(j, y)}; the cheapest such move per pair (x, y)
 * is an edge x → y of a graph over the group's request classes, and a cycle of negative weight in
 * it (Bellman-Ford) is a rotation that keeps each class's count and lowers the total price. This
 * finds what pairwise exchanges cannot: a claim that drops a size only when three or more claims
 * pass room along at once. Edges also carry a claim's potential ({@link ExchangePass#potential}) at
 * a weight far below any price step, so a rotation at the same price is taken when it gathers spare
 * room on claims near a smaller type (what lets a later rotation drop one). Each rotation is
 * re-priced exactly on the claims it touches (two of its slots may share a claim) and kept only
 * when it is cheaper, or as cheap with more potential; per group at most {@link #CYCLES_PER_GROUP}
 * rotations per sweep, at most {@link #SWEEPS} sweeps over the groups. Claims are eligible as for
 * the exchange pass.
 *
 * <p>On Karpenter's 20,000-pod benchmark (BENCHMARKS.md, issue 21 item 4) the pass takes the cost
 * from 1.0415 to 1.0315 of the lower bound with nodes, and a second pass with a steeper potential
 * (power 6: room gathers on fewer claims) from there to 1.0292; most of it is in the group of the
 * 4,000 {@code app=nginx} pods, one on every node, whose requests it assigns to the nodes nearly
 * optimally given the other pods.
 */
final class RotationPass {
  /** Rotations kept per group and sweep, at most (each lowers the price or gathers room). */
  private static final int CYCLES_PER_GROUP = 400;

  /** Sweeps over every group; stops early when a sweep keeps nothing. */
  private static final int SWEEPS = 4;

  private static final double EPS = 1e-9;

  /**
   * Weight of a claim's potential against its price in an edge: small enough that a price step of
   * usual catalogs outweighs it, so a rotation at the same price is taken only when it gathers
   * spare room where a later rotation can drop a claim a size (the exact re-pricing before a
   * rotation is kept refuses any that raises the price, whatever the weights suggested).
   */
  private static final double LAMBDA = 1e-6;

  private final PlannedClaims claims;
  private final MovableSlots slots;
  private final List<ClaimBin> bins = new ArrayList<>();
  private final List<long[]> masks = new ArrayList<>();

  /** Per claim (index into bins): its potential. */
  private double[] phi;

  /** Groups of movable slots: each slot is {claim index, position}. */
  private final List<List<int[]>> groups = new ArrayList<>();

  private long[] need = new long[0];

  /**
   * Rotations kept so far (a clock), per claim the clock when a rotation last changed it, and per
   * group the clock when its last {@link #improve} ended finding no cycle (-1: not yet, or it
   * stopped for another reason). A group none of whose claims changed since then would find no
   * cycle again, so a sweep skips it: the same rotations at a fraction of the sweeps' work.
   */
  private long clock;

  private long[] changedAt;
  private long[] cleanAt;

  /**
   * The exponent of the potential: the exchange pass's share of room towards a smaller type, summed
   * over cpu and memory, to this power (2 is the exchange pass's own).
   */
  private final int power;

  RotationPass(PlannedClaims claims) {
    this(claims, MovableSlots.of(claims), 2);
  }

  /** With the claims' {@link MovableSlots} already collected. */
  RotationPass(PlannedClaims claims, MovableSlots slots, int power) {
    this.claims = claims;
    this.slots = slots;
    this.power = power;
  }

  /** Runs the pass; returns how many rotations were kept. */
  int run() {
    collect();
    int kept = 0;
    for (int sweep = 0; sweep < SWEEPS; sweep++) {
      int before = kept;
      for (int g = 0; g < groups.size(); g++) {
        if (!unchangedSinceClean(g)) {
          kept += improve(g);
        }
      }
      if (kept == before) {
        break;
      }
    }
    return kept;
  }

  private boolean unchangedSinceClean(int g) {
    long clean = cleanAt[g];
    if (clean < 0) {
      return false;
    }
    for (int[] s : groups.get(g)) {
      if (changedAt[s[0]] > clean) {
        return false;
      }
    }
    return true;
  }

  /** Cancels negative cycles in group g; returns how many rotations were kept. */
  private int improve(int g) {
    List<int[]> group = groups.get(g);
    cleanAt[g] = -1;
    // the group's request classes, and the class of each slot
    Map<PodClass, Integer> classIndex = new IdentityHashMap<>();
    List<PodClass> classes = new ArrayList<>();
    int n = group.size();
    int[] cur = new int[n];
    for (int j = 0; j < n; j++) {
      int[] s = group.get(j);
      PodClass cls = bins.get(s[0]).podClasses.get(s[1]);
      Integer x = classIndex.get(cls);
      if (x == null) {
        x = classes.size();
        classIndex.put(cls, x);
        classes.add(cls);
      }
      cur[j] = x;
    }
    int t = classes.size();
    if (t < 2) {
      cleanAt[g] = clock; // one request class: nothing to rotate until another joins
      return 0;
    }
    Map<Integer, List<Integer>> slotsOfClaim = new HashMap<>();
    for (int j = 0; j < n; j++) {
      slotsOfClaim.computeIfAbsent(group.get(j)[0], k -> new ArrayList<>(2)).add(j);
    }
    double[][] delta = new double[n][t];
    for (int j = 0; j < n; j++) {
      price(group.get(j), classes, delta[j]);
    }
    // the slots of each class, and where each slot sits in its class's list
    int[][] members = new int[t][];
    int[] size = new int[t];
    int[] at = new int[n];
    for (int j = 0; j < n; j++) {
      size[cur[j]]++;
    }
    for (int x = 0; x < t; x++) {
      members[x] = new int[Math.max(4, size[x])];
      size[x] = 0;
    }
    for (int j = 0; j < n; j++) {
      join(members, size, at, cur[j], j);
    }
    double[][] w = new double[t][t];
    int[][] arg = new int[t][t];
    for (int x = 0; x < t; x++) {
      edgesFrom(x, delta, members[x], size[x], w[x], arg[x]);
    }
    double[] dist = new double[t];
    int[] pred = new int[t];
    boolean[] dirty = new boolean[t];
    int kept = 0;
    for (int attempt = 0; attempt < CYCLES_PER_GROUP; attempt++) {
      int[] cycle = negativeCycle(w, dist, pred);
      if (cycle == null) {
        cleanAt[g] = clock;
        break;
      }
      // edge cycle[i] -> cycle[i+1] moves slot arg[cycle[i]][cycle[i+1]] to class cycle[i+1]
      int m = cycle.length;
      int[] slots = new int[m];
      for (int i = 0; i < m; i++) {
        slots[i] = arg[cycle[i]][cycle[(i + 1) % m]];
      }
      if (!rotate(group, slots)) {
        // the exact re-pricing disagrees (two moves on one claim): look no further in this group
        break;
      }
      kept++;
      for (int i = 0; i < m; i++) {
        int j = slots[i];
        leave(members, size, at, cur[j], j);
        cur[j] = cycle[(i + 1) % m];
        join(members, size, at, cur[j], j);
        dirty[cycle[i]] = true;
      }
      // the claims the rotation touched price every class anew: so do the edges from their slots'
      for (int i = 0; i < m; i++) {
        for (int j : slotsOfClaim.get(group.get(slots[i])[0])) {
          price(group.get(j), classes, delta[j]);
          dirty[cur[j]] = true;
        }
      }
      for (int x = 0; x < t; x++) {
        if (dirty[x]) {
          edgesFrom(x, delta, members[x], size[x], w[x], arg[x]);
          dirty[x] = false;
        }
      }
    }
    return kept;
  }

  /**
   * Fills {@code out[x]} with what the price of slot s's claim becomes when the slot holds a pod of
   * class x instead of its own (+infinity when no type fits).
   */
  private void price(int[] s, List<PodClass> classes, double[] out) {
    ClaimBin c = bins.get(s[0]);
    long[] mask = masks.get(s[0]);
    long[] own = c.podClasses.get(s[1]).req;
    if (need.length != c.used.length) {
      need = new long[c.used.length];
    }
    double now = c.pool.price[c.cheapest] - LAMBDA * phi[s[0]];
    for (int x = 0; x < out.length; x++) {
      long[] req = classes.get(x).req;
      for (int d = 0; d < need.length; d++) {
        need[d] = c.used[d] - own[d] + req[d];
      }
      int type = typeFor(c, mask, need);
      out[x] =
          type < 0
              ? Double.POSITIVE_INFINITY
              : c.pool.price[type] - LAMBDA * potential(c.pool, -2, mask, need, type) - now;
    }
  }

  /** The cheapest move from class x to each class y over the slots of class x (edges x -> y). */
  private static void edgesFrom(
      int x, double[][] delta, int[] slots, int count, double[] wx, int[] argx) {
    Arrays.fill(wx, Double.POSITIVE_INFINITY);
    for (int i = 0; i < count; i++) {
      int j = slots[i];
      double[] dj = delta[j];
      for (int y = 0; y < dj.length; y++) {
        if (y != x && dj[y] < wx[y]) {
          wx[y] = dj[y];
          argx[y] = j;
        }
      }
    }
  }

  private static void join(int[][] members, int[] size, int[] at, int x, int j) {
    if (size[x] == members[x].length) {
      members[x] = Arrays.copyOf(members[x], 2 * size[x]);
    }
    at[j] = size[x];
    members[x][size[x]++] = j;
  }

  private static void leave(int[][] members, int[] size, int[] at, int x, int j) {
    int last = members[x][--size[x]];
    members[x][at[j]] = last;
    at[last] = at[j];
  }

  /** A cycle of negative total weight as its vertices in order, or null (Bellman-Ford). */
  private static int[] negativeCycle(double[][] w, double[] dist, int[] pred) {
    int t = w.length;
    Arrays.fill(dist, 0);
    Arrays.fill(pred, -1);
    // a vertex whose distance did not drop since it last relaxed its edges would relax none now
    // (distances only drop), so skipping it leaves every update, in order, as it was
    boolean[] fresh = new boolean[t];
    Arrays.fill(fresh, true);
    int last = -1;
    for (int round = 0; round < t; round++) {
      last = -1;
      for (int x = 0; x < t; x++) {
        if (!fresh[x]) {
          continue;
        }
        fresh[x] = false;
        double[] wx = w[x];
        // distances stay finite and no edge leads back to x (an infinite weight never relaxes)
        double dx = dist[x];
        for (int y = 0; y < t; y++) {
          double wxy = wx[y];
          if (dx + wxy < dist[y] - EPS) {
            dist[y] = dx + wxy;
            pred[y] = x;
            fresh[y] = true;
            last = y;
          }
        }
      }
      if (last < 0) {
        return null;
      }
    }
    // still relaxing after t rounds: t steps back along pred from the last vertex is on a cycle
    int v = last;
    for (int i = 0; i < t; i++) {
      v = pred[v];
    }
    List<Integer> back = new ArrayList<>();
    int u = v;
    do {
      back.add(u);
      u = pred[u];
    } while (u != v && back.size() <= t);
    if (u != v) {
      return null;
    }
    int[] cycle = new int[back.size()];
    for (int i = 0; i < cycle.length; i++) {
      cycle[i] = back.get(cycle.length - 1 - i); // pred links point backwards
    }
    return cycle;
  }

  /**
   * Slot {@code slots[i]} takes the pod of slot {@code slots[i+1]} (cyclically), when that makes
   * the claims they sit on cheaper together; false, changing nothing, otherwise.
   */
  private boolean rotate(List<int[]> group, int[] slots) {
    int m = slots.length;
    ClaimBin[] cs = new ClaimBin[m];
    int[] ks = new int[m];
    long[][] ms = new long[m][];
    Map<Integer, long[]> used = new HashMap<>();
    for (int i = 0; i < m; i++) {
      int[] s = group.get(slots[i]);
      cs[i] = bins.get(s[0]);
      ks[i] = s[1];
      ms[i] = masks.get(s[0]);
    }
    for (int i = 0; i < m; i++) {
      int ci = group.get(slots[i])[0];
      long[] u = used.computeIfAbsent(ci, k -> bins.get(k).used.clone());
      long[] out = cs[i].podClasses.get(ks[i]).req;
      long[] in = cs[(i + 1) % m].podClasses.get(ks[(i + 1) % m]).req;
      for (int d = 0; d < u.length; d++) {
        u[d] += in[d] - out[d];
      }
    }
    // re-priced exactly: kept when cheaper, or as cheap with more potential
    double dPrice = 0;
    double dPhi = 0;
    for (Map.Entry<Integer, long[]> e : used.entrySet()) {
      ClaimBin c = bins.get(e.getKey());
      long[] mask = masks.get(e.getKey());
      int t = c.pool.firstFit(mask, e.getValue());
      if (t < 0) {
        return false;
      }
      dPrice += c.pool.price[t] - c.pool.price[c.cheapest];
      dPhi += potential(c.pool, -2, mask, e.getValue(), t) - phi[e.getKey()];
    }
    if (dPrice > EPS || (dPrice > -EPS && dPhi <= 1e-12) || !claims.rotate(cs, ks, ms)) {
      return false;
    }
    clock++;
    for (int ci : used.keySet()) {
      changedAt[ci] = clock;
      ClaimBin c = bins.get(ci);
      phi[ci] = potential(c.pool, -2, masks.get(ci), c.used, c.cheapest);
    }
    return true;
  }

  /**
   * The type claim c needs for {@code used}: its current one or the cheaper ones just below that
   * still fit, else the first pricier one that fits; -1 when none does.
   */
  private static int typeFor(ClaimBin c, long[] mask, long[] used) {
    PoolState pool = c.pool;
    int t = c.cheapest;
    if (Dims.fits(used, pool.alloc[t])) {
      for (int i = PoolState.prevBit(mask, t);
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

  /** Finds the claims and pods the pass may touch and groups the pods by exchange key. */
  private void collect() {
    bins.addAll(slots.bins());
    masks.addAll(slots.masks());
    groups.addAll(slots.groups());
    phi = new double[bins.size()];
    changedAt = new long[bins.size()];
    cleanAt = new long[groups.size()];
    Arrays.fill(cleanAt, -1);
    for (int i = 0; i < phi.length; i++) {
      ClaimBin c = bins.get(i);
      phi[i] = potential(c.pool, -2, masks.get(i), c.used, c.cheapest);
    }
  }

  /** {@link ExchangePass#potential} (a square) raised to {@link #power} / 2. */
  private double potential(PoolState pool, int below, long[] mask, long[] used, int t) {
    double p = ExchangePass.potential(pool, below, mask, used, t);
    return power == 2 ? p : Math.pow(Math.sqrt(p), power);
  }
}
