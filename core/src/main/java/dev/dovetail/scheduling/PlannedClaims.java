package dev.dovetail.scheduling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The NodeClaims a solve has planned, in opening order, and an index of them by spare cpu on their
 * current cheapest type, so the tightest fit for a pod is a ceiling lookup, not a scan. Committing
 * a {@link Plan} is the only way a claim changes while pods are placed.
 */
final class PlannedClaims {
  private final ReqTable table;
  private final TopologyCounts counts;
  private final LimitReservations limits;
  private final List<ClaimBin> claims = new ArrayList<>();
  private final TreeSet<ClaimBin> bySlack =
      new TreeSet<>(Comparator.comparingLong((ClaimBin c) -> c.slack).thenComparingInt(c -> c.seq));

  /** Key-only lookup instance (single-threaded solve). */
  private final ClaimBin probe = ClaimBin.probe();

  private int seq;

  PlannedClaims(ReqTable table, TopologyCounts counts, LimitReservations limits) {
    this.table = table;
    this.counts = counts;
    this.limits = limits;
  }

  List<ClaimBin> all() {
    return Collections.unmodifiableList(claims);
  }

  int size() {
    return claims.size();
  }

  ClaimBin get(int i) {
    return claims.get(i);
  }

  /** Claims with at least {@code cpu} spare on their cheapest type, tightest first. */
  NavigableSet<ClaimBin> withSpareCpu(long cpu) {
    probe.slack = cpu;
    return bySlack.tailSet(probe, true);
  }

  /**
   * A new, empty claim of the pool (not yet added): its daemonset overhead as usage, every type
   * within the limits as options ({@code bits == null} when none is). Numbers its hostname.
   */
  ClaimBin open(PoolState pool) {
    long[] bits = limits.openBits(pool);
    ++seq;
    ClaimBin c =
        new ClaimBin(
            pool,
            table,
            "dovetail-new-" + seq,
            seq,
            pool.baseId,
            pool.baseId,
            pool.overhead.clone(),
            bits);
    c.cheapest = bits == null ? -1 : PoolState.nextBit(bits, 0);
    return c;
  }

  /** Adds an opened claim and reserves its share of the pool's limits. */
  void add(ClaimBin fresh) {
    claims.add(fresh);
    limits.reserve(fresh);
  }

  /** Lands the pod on claim c as planned by {@code p} (a successful plan for c, cls and v). */
  void commit(SchedulingPod pod, PodClass cls, ClaimBin c, PodClass.Variant v, Plan p) {
    bySlack.remove(c);
    long[] mask = c.pool.mask(p.soft());
    for (int w = 0; w < c.bits.length; w++) {
      c.bits[w] &= mask[w];
    }
    Dims.addInto(c.used, cls.req);
    c.hard = p.hard();
    c.soft = p.soft();
    c.settleOn(p.cheapest());
    c.pods.add(pod.id());
    c.podClasses.add(cls);
    c.podVariants.add(v);
    c.addPorts(cls.pod.hostPorts());
    counts.add(cls, c, 1);
    limits.reserve(c);
    bySlack.add(c);
  }

  /** A claim as it was, for {@link #restore}. */
  record Saved(
      ClaimBin claim, int hard, int soft, long[] used, long[] bits, int cheapest, int pods) {}

  /** What claim c is now: {@link #restore} puts it back after commits that did not work out. */
  Saved save(ClaimBin c) {
    return new Saved(c, c.hard, c.soft, c.used.clone(), c.bits.clone(), c.cheapest, c.pods.size());
  }

  /**
   * Puts a claim back as it was saved, dropping the pods committed to it since (their topology
   * counts are the caller's to take back), and what it holds of its pool's limits with them.
   */
  void restore(Saved s) {
    ClaimBin c = s.claim();
    bySlack.remove(c);
    for (int k = c.pods.size() - 1; k >= s.pods(); k--) {
      c.pods.remove(k);
      c.podClasses.remove(k);
      c.podVariants.remove(k);
    }
    c.hard = s.hard();
    c.soft = s.soft();
    System.arraycopy(s.used(), 0, c.used, 0, c.used.length);
    c.bits = s.bits().clone();
    c.settleOn(s.cheapest());
    limits.reserve(c);
    bySlack.add(c);
  }

  /**
   * Drops a claim whose pods all went elsewhere (their topology counts already moved) and gives
   * back what it held of its pool's limits.
   */
  void drop(ClaimBin emptied) {
    bySlack.remove(emptied);
    claims.remove(emptied);
    limits.release(emptied);
  }

  /**
   * Takes the k-th pod off claim c (its topology counts already removed) and lets the claim drop to
   * the cheaper type {@code smaller}, re-opening the types the pod had excluded under {@code
   * softMask}. Returns the pod's id.
   */
  String release(ClaimBin c, int k, long[] softMask, int smaller) {
    PodClass cls = c.podClasses.get(k);
    String id = c.pods.remove(k);
    c.podClasses.remove(k);
    c.podVariants.remove(k);
    bySlack.remove(c);
    for (int d = 0; d < c.used.length; d++) {
      c.used[d] -= cls.req[d];
    }
    for (int w = 0; w < softMask.length && w < c.bits.length; w++) {
      c.bits[w] = softMask[w];
    }
    c.settleOn(smaller);
    bySlack.add(c);
    return id;
  }

  /**
   * Exchanges the k-th pod of claim a with the l-th pod of claim b (pods that differ only in their
   * requests, so no topology count changes) and settles each claim on the first type of its
   * requirements' {@code mask} that fits what it now uses. Returns false, changing nothing, when
   * either claim would fit no type.
   */
  boolean exchange(ClaimBin a, int k, ClaimBin b, int l, long[] maskA, long[] maskB) {
    long[] p = a.podClasses.get(k).req;
    long[] q = b.podClasses.get(l).req;
    long[] usedA = a.used.clone();
    long[] usedB = b.used.clone();
    for (int d = 0; d < usedA.length; d++) {
      usedA[d] += q[d] - p[d];
      usedB[d] += p[d] - q[d];
    }
    int ta = a.pool.firstFit(maskA, usedA);
    int tb = b.pool.firstFit(maskB, usedB);
    if (ta < 0 || tb < 0) {
      return false;
    }
    bySlack.remove(a);
    bySlack.remove(b);
    System.arraycopy(usedA, 0, a.used, 0, usedA.length);
    System.arraycopy(usedB, 0, b.used, 0, usedB.length);
    a.pods.set(k, b.pods.set(l, a.pods.get(k)));
    a.podClasses.set(k, b.podClasses.set(l, a.podClasses.get(k)));
    a.podVariants.set(k, b.podVariants.set(l, a.podVariants.get(k)));
    a.bits = maskA.clone();
    b.bits = maskB.clone();
    a.settleOn(ta);
    b.settleOn(tb);
    bySlack.add(a);
    bySlack.add(b);
    return true;
  }

  /**
   * Rotates pods that differ only in their requests: the {@code ks[i]}-th pod of claim {@code
   * cs[i]} is replaced by the {@code ks[i+1]}-th pod of {@code cs[i+1]} (cyclically), and each
   * claim settles on the first type of its requirements' mask ({@code masks[i]}) that fits. Returns
   * false, changing nothing, when a claim would fit no type. A claim may appear more than once.
   */
  boolean rotate(ClaimBin[] cs, int[] ks, long[][] masks) {
    int m = cs.length;
    java.util.Map<ClaimBin, long[]> used = new java.util.IdentityHashMap<>();
    java.util.Map<ClaimBin, long[]> maskOf = new java.util.IdentityHashMap<>();
    for (int i = 0; i < m; i++) {
      long[] u = used.computeIfAbsent(cs[i], c -> c.used.clone());
      maskOf.put(cs[i], masks[i]);
      long[] out = cs[i].podClasses.get(ks[i]).req;
      long[] in = cs[(i + 1) % m].podClasses.get(ks[(i + 1) % m]).req;
      for (int d = 0; d < u.length; d++) {
        u[d] += in[d] - out[d];
      }
    }
    java.util.Map<ClaimBin, Integer> type = new java.util.IdentityHashMap<>();
    for (java.util.Map.Entry<ClaimBin, long[]> e : used.entrySet()) {
      ClaimBin c = e.getKey();
      int t = c.pool.firstFit(maskOf.get(c), e.getValue());
      if (t < 0) {
        return false;
      }
      type.put(c, t);
    }
    String[] ids = new String[m];
    PodClass[] classes = new PodClass[m];
    PodClass.Variant[] variants = new PodClass.Variant[m];
    for (int i = 0; i < m; i++) {
      ids[i] = cs[i].pods.get(ks[i]);
      classes[i] = cs[i].podClasses.get(ks[i]);
      variants[i] = cs[i].podVariants.get(ks[i]);
    }
    for (int i = 0; i < m; i++) {
      int j = (i + 1) % m;
      cs[i].pods.set(ks[i], ids[j]);
      cs[i].podClasses.set(ks[i], classes[j]);
      cs[i].podVariants.set(ks[i], variants[j]);
    }
    for (java.util.Map.Entry<ClaimBin, long[]> e : used.entrySet()) {
      ClaimBin c = e.getKey();
      bySlack.remove(c);
      System.arraycopy(e.getValue(), 0, c.used, 0, c.used.length);
      c.bits = maskOf.get(c).clone();
      c.settleOn(type.get(c));
      bySlack.add(c);
    }
    return true;
  }
}
