package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whether a pod's topology constraints (spread, affinity, anti-affinity, and the anti-affinity of
 * pods already placed) hold if it lands in a domain, and which domains a claim could still take.
 * Checks return null when they hold, else a lazily rendered reason.
 */
final class TopologyChecks {
  private final Topology topo;
  private final ReqTable table;
  private final List<ExistingBin> existing;
  private final List<PoolState> pools;

  TopologyChecks(Topology topo, ReqTable table, List<ExistingBin> existing, List<PoolState> pools) {
    this.topo = topo;
    this.table = table;
    this.existing = existing;
    this.pools = pools;
  }

  /** Candidate domains of a key, best first, or why there are none. */
  record Domains(List<String> values, Supplier<String> lastFailure) {}

  /** Topology check on an existing node (its domains come from its labels). */
  boolean holdsOn(PodClass.Variant v, ExistingBin b) {
    for (String key : v.keys) {
      if (violation(v, b, key, b.value(key)) != OK) {
        return false;
      }
    }
    return !v.hostnameTopology
        || violation(v, b, WellKnownLabels.HOSTNAME, b.value(WellKnownLabels.HOSTNAME)) == OK;
  }

  /** Whether every constraint of v on key holds if the pod lands on b with key=value. */
  Supplier<String> check(PodClass.Variant v, Bin b, String key, String value) {
    long code = violation(v, b, key, value);
    return code == OK ? null : describe(v, key, code);
  }

  private static final long OK = 0;
  private static final int SPREAD_UNLABELLED = 1;
  private static final int SPREAD_SKEW = 2;
  private static final int AFFINITY = 3;
  private static final int ANTI = 4;
  private static final int OWNER = 5;

  /** The first violated constraint as (kind << 32 | index), or OK; allocation-free (hot path). */
  private long violation(PodClass.Variant v, Bin b, String key, String value) {
    boolean host = WellKnownLabels.HOSTNAME.equals(key);
    int dom = value == null || host ? -1 : topo.domain(key, value);
    for (int i = 0; i < v.spreads.size(); i++) {
      PodClass.Spread s = v.spreads.get(i);
      Topology.Group g = s.group;
      if (!g.key.equals(key)) {
        continue;
      }
      if (value == null) {
        return code(SPREAD_UNLABELLED, i);
      }
      int cnt = (host ? b.host.get(g.id) : g.count(dom)) + (s.selfMatch ? 1 : 0);
      if (cnt - globalMin(s, v) > s.c.maxSkew()) {
        return code(SPREAD_SKEW, i);
      }
    }
    for (int i = 0; i < v.affinities.size(); i++) {
      Topology.Group g = v.affinities.get(i);
      if (!g.key.equals(key)) {
        continue;
      }
      if (g.total == 0 && v.affinitySelf.get(i)) {
        continue;
      }
      if (value == null || (host ? b.host.get(g.id) : g.count(dom)) == 0) {
        return code(AFFINITY, i);
      }
    }
    for (int i = 0; i < v.antis.size(); i++) {
      Topology.Group g = v.antis.get(i);
      if (g.key.equals(key) && value != null && (host ? b.host.get(g.id) : g.count(dom)) > 0) {
        return code(ANTI, i);
      }
    }
    for (int i = 0; i < v.cls.matched.length; i++) {
      Topology.Group g = topo.groups.get(v.cls.matched[i]);
      if (g.owner
          && g.key.equals(key)
          && value != null
          && (host ? b.host.get(g.id) : g.count(dom)) > 0) {
        return code(OWNER, i);
      }
    }
    return OK;
  }

  private static long code(int kind, int index) {
    return ((long) kind << 32) | index;
  }

  private static Supplier<String> describe(PodClass.Variant v, String key, long code) {
    int index = (int) code;
    switch ((int) (code >>> 32)) {
      case SPREAD_UNLABELLED:
        return () -> "the node would not have label " + key + " for " + v.spreads.get(index);
      case SPREAD_SKEW:
        return () -> v.spreads.get(index) + " cannot be met";
      case AFFINITY:
        return () ->
            "pod affinity on "
                + key
                + " (selector "
                + v.affinities.get(index).selector
                + ") has no matching pod in reach";
      case ANTI:
        return () ->
            "pod anti-affinity on "
                + key
                + " (selector "
                + v.antis.get(index).selector
                + ") cannot be met";
      default:
        return () -> "anti-affinity of pods already in the " + key + " domain excludes this pod";
    }
  }

  /**
   * Anti-affinity on a zone-like key whose every domain already holds a matching pod cannot be met
   * anywhere: the reason, or null.
   */
  String antiAffinityExhausted(PodClass.Variant v) {
    for (Topology.Group g : v.antis) {
      if (g.hostname) {
        continue;
      }
      boolean free = false;
      for (String d : topo.domains(g.key)) {
        free |= g.count(topo.domain(g.key, d)) == 0;
      }
      if (!free) {
        return "pod anti-affinity on "
            + g.key
            + " (selector "
            + g.selector
            + ") cannot be met:"
            + " every domain already has a matching pod";
      }
    }
    return null;
  }

  /** Whether hostname anti-affinity of v is matched on every bin: only a new node will do. */
  boolean onlyNewNode(PodClass.Variant v, int bins) {
    for (Topology.Group g : v.antis) {
      if (g.hostname && g.nodesWithPods >= bins) {
        return true;
      }
    }
    return false;
  }

  /** Domains of key a claim could still take that the pod's constraints allow, best first. */
  Domains candidateDomains(PoolState pool, int soft, String key, PodClass.Variant v, ClaimBin c) {
    Requirement r = table.get(soft).get(key);
    if (r == null && !pool.allowUndefined.contains(key)) {
      return new Domains(List.of(), null);
    }
    List<String> out = new ArrayList<>();
    List<Long> scores = new ArrayList<>();
    long lastViolation = OK;
    String lastKey = null;
    for (String d : topo.domains(key)) {
      if (r != null && !r.has(d)) {
        continue;
      }
      long why = violation(v, c, key, d);
      if (why != OK) {
        lastViolation = why;
        lastKey = key;
        continue;
      }
      long score = score(v, key, topo.domain(key, d));
      int pos = 0;
      while (pos < scores.size() && scores.get(pos) <= score) {
        pos++;
      }
      scores.add(pos, score);
      out.add(pos, d);
    }
    return new Domains(out, lastViolation == OK ? null : describe(v, lastKey, lastViolation));
  }

  /** Lower is better: spread toward emptier domains, affinity toward fuller ones. */
  private long score(PodClass.Variant v, String key, int dom) {
    long score = 0;
    for (PodClass.Spread s : v.spreads) {
      if (s.group.key.equals(key)) {
        score += 1024L * s.group.count(dom);
      }
    }
    for (Topology.Group g : v.affinities) {
      if (g.key.equals(key)) {
        score -= 1024L * g.count(dom);
      }
    }
    for (int gid : v.cls.matched) {
      Topology.Group g = topo.groups.get(gid);
      if (!g.owner && g.key.equals(key)) {
        score += g.count(dom);
      }
    }
    return score;
  }

  private int globalMin(PodClass.Spread s, PodClass.Variant v) {
    if (s.group.hostname) {
      return 0; // a new node is always a fresh domain with no matching pod
    }
    if (s.eligible == null) {
      s.eligible =
          eligible.computeIfAbsent(EligibleKey.of(s, v), k -> eligibleDomains(s, v)).clone();
    }
    Integer minDomains = s.c.minDomains();
    if (minDomains != null && s.eligible.length < minDomains) {
      return 0;
    }
    int min = Integer.MAX_VALUE;
    for (int d : s.eligible) {
      min = Math.min(min, s.group.count(d));
    }
    return min == Integer.MAX_VALUE ? 0 : min;
  }

  /** What decides a spread's eligible domains; many variants share one (scanning is per node). */
  private record EligibleKey(
      String key, List<Toleration> tolerations, List<Integer> altHard, boolean affinity) {
    static EligibleKey of(PodClass.Spread s, PodClass.Variant v) {
      List<Integer> alts = new ArrayList<>(v.altHard.length);
      for (int a : v.altHard) {
        alts.add(a);
      }
      return new EligibleKey(
          s.c.topologyKey(),
          s.c.honorNodeTaints() ? v.cls.pod.tolerations() : null,
          s.c.honorNodeAffinity() ? alts : null,
          s.c.honorNodeAffinity());
    }
  }

  private final Map<EligibleKey, int[]> eligible = new HashMap<>();

  /** Domains that count for a spread: nodePolicy/taintPolicy-filtered nodes and NodePools. */
  int[] eligibleDomains(PodClass.Spread s, PodClass.Variant v) {
    String key = s.c.topologyKey();
    Set<String> values = new LinkedHashSet<>();
    for (ExistingBin b : existing) {
      String val = b.value(key);
      if (val == null) {
        continue;
      }
      if (s.c.honorNodeTaints()
          && Taints.firstUntolerated(b.taints, v.cls.pod.tolerations()) != null) {
        continue;
      }
      if (s.c.honorNodeAffinity() && !anyAltMatches(v, b.node.labels())) {
        continue;
      }
      values.add(val);
    }
    for (PoolState p : pools) {
      if (s.c.honorNodeTaints()
          && Taints.firstUntolerated(p.np.taints(), v.cls.pod.tolerations()) != null) {
        continue;
      }
      for (String val : p.domainValues(key)) {
        if (!s.c.honorNodeAffinity()) {
          values.add(val);
          continue;
        }
        for (int alt : v.altHard) {
          Requirement r = table.get(alt).get(key);
          if ((r == null || r.has(val)) && p.compatible(p.baseId, alt)) {
            values.add(val);
            break;
          }
        }
      }
    }
    int[] out = new int[values.size()];
    int i = 0;
    for (String val : values) {
      out[i++] = topo.domain(key, val);
    }
    return out;
  }

  private boolean anyAltMatches(PodClass.Variant v, Map<String, String> labels) {
    for (int alt : v.altHard) {
      if (table.get(alt).matches(labels)) {
        return true;
      }
    }
    return false;
  }
}
