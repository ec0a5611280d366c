package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Requirements;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Pods that are identical except for their id, compiled once: requests as a vector, required node
 * terms interned, topology terms resolved to shared groups, and one {@link Variant} per
 * preference-relaxation step.
 */
final class PodClass {
  /** Everything of a pod but its id: pods with equal keys schedule identically. */
  record Key(
      String namespace,
      Map<String, String> labels,
      Object requests,
      Map<String, String> nodeSelector,
      List<Requirements> requiredNodeAffinity,
      List<PreferredNodeAffinityTerm> preferredNodeAffinity,
      List<Toleration> tolerations,
      List<PodAffinityTerm> podAffinity,
      List<PodAffinityTerm> podAntiAffinity,
      List<WeightedPodAffinityTerm> preferredPodAffinity,
      List<WeightedPodAffinityTerm> preferredPodAntiAffinity,
      List<TopologySpreadConstraint> topologySpread,
      List<HostPort> hostPorts,
      Requirements volumeRequirements) {
    /**
     * This key with the requests left out: pods equal under it differ only in what they request.
     */
    Key withoutRequests() {
      return new Key(
          namespace,
          labels,
          null,
          nodeSelector,
          requiredNodeAffinity,
          preferredNodeAffinity,
          tolerations,
          podAffinity,
          podAntiAffinity,
          preferredPodAffinity,
          preferredPodAntiAffinity,
          topologySpread,
          hostPorts,
          volumeRequirements);
    }

    static Key of(SchedulingPod p) {
      return new Key(
          p.namespace(),
          p.labels(),
          p.requests(),
          p.nodeSelector(),
          p.requiredNodeAffinity(),
          p.preferredNodeAffinity(),
          p.tolerations(),
          p.podAffinity(),
          p.podAntiAffinity(),
          p.preferredPodAffinity(),
          p.preferredPodAntiAffinity(),
          p.topologySpread(),
          p.hostPorts(),
          p.volumeRequirements());
    }
  }

  final int id;
  final SchedulingPod pod;
  final long[] req;
  final Requirements base; // nodeSelector AND volume requirements
  final List<Requirements> requiredTerms;
  final List<Requirements> preferredNode; // heaviest first
  final List<PodAffinityTerm> prefAffinity; // heaviest first
  final List<PodAffinityTerm> prefAnti; // heaviest first
  final List<TopologySpreadConstraint> hardSpread;
  final List<TopologySpreadConstraint> softSpread;

  /** Groups whose selector matches this pod: counted where it lands; owner groups forbid. */
  int[] matched;

  /** Owner groups of this pod's required anti-affinity terms. */
  Topology.Group[] declaredOwners;

  private final List<Variant> variants = new ArrayList<>();
  boolean failedWithoutTopology;

  /**
   * Whether each such pod needs a node without any other such pod (hostname self anti-affinity).
   */
  boolean ownNode; // memo: an identical pod without topology terms found no room

  PodClass(int id, SchedulingPod pod, Dims dims) {
    this.id = id;
    this.pod = pod;
    this.req = dims.vector(pod.requests());
    this.req[Dims.PODS] += 1;
    this.base = Requirements.fromLabels(pod.nodeSelector()).and(pod.volumeRequirements());
    this.requiredTerms = pod.requiredNodeAffinity();
    List<PreferredNodeAffinityTerm> pn = new ArrayList<>(pod.preferredNodeAffinity());
    pn.sort(Comparator.comparingInt(PreferredNodeAffinityTerm::weight).reversed());
    this.preferredNode = pn.stream().map(PreferredNodeAffinityTerm::requirements).toList();
    this.prefAffinity = sortedTerms(pod.preferredPodAffinity());
    this.prefAnti = sortedTerms(pod.preferredPodAntiAffinity());
    this.hardSpread = pod.topologySpread().stream().filter(t -> t.doNotSchedule()).toList();
    this.softSpread = pod.topologySpread().stream().filter(t -> !t.doNotSchedule()).toList();
  }

  private static List<PodAffinityTerm> sortedTerms(List<WeightedPodAffinityTerm> ts) {
    List<WeightedPodAffinityTerm> s = new ArrayList<>(ts);
    s.sort(Comparator.comparingInt(WeightedPodAffinityTerm::weight).reversed());
    return s.stream().map(WeightedPodAffinityTerm::term).toList();
  }

  boolean hasTopology() {
    return !pod.podAffinity().isEmpty()
        || !pod.podAntiAffinity().isEmpty()
        || !prefAffinity.isEmpty()
        || !prefAnti.isEmpty()
        || !pod.topologySpread().isEmpty()
        || matched.length > 0
        || declaredOwners.length > 0
        || !pod.hostPorts().isEmpty();
  }

  /** How many relaxation steps exist after the strict variant. */
  int relaxations() {
    return prefAffinity.size() + prefAnti.size() + preferredNode.size() + softSpread.size() + 1;
  }

  /** The namespaces a term applies to: empty means the pod's own namespace. */
  Set<String> namespaces(PodAffinityTerm t) {
    if (t.namespaces() == null) {
      return null;
    }
    return t.namespaces().isEmpty() ? Set.of(pod.namespace()) : t.namespaces();
  }

  /** Creates the groups every variant of this class may use. */
  void registerGroups(Topology topo) {
    for (PodAffinityTerm t : pod.podAffinity()) {
      topo.group(false, t.topologyKey(), t.selector(), namespaces(t));
    }
    for (PodAffinityTerm t : prefAffinity) {
      topo.group(false, t.topologyKey(), t.selector(), namespaces(t));
    }
    for (PodAffinityTerm t : pod.podAntiAffinity()) {
      topo.group(false, t.topologyKey(), t.selector(), namespaces(t));
    }
    for (PodAffinityTerm t : prefAnti) {
      topo.group(false, t.topologyKey(), t.selector(), namespaces(t));
    }
    for (TopologySpreadConstraint c : pod.topologySpread()) {
      topo.group(false, c.topologyKey(), spreadSelector(c), Set.of(pod.namespace()));
    }
    List<Topology.Group> owners = new ArrayList<>();
    for (PodAffinityTerm t : pod.podAntiAffinity()) {
      owners.add(topo.group(true, t.topologyKey(), t.selector(), namespaces(t)));
    }
    declaredOwners = owners.toArray(new Topology.Group[0]);
  }

  Requirements spreadSelector(TopologySpreadConstraint c) {
    Requirements s = c.selector();
    if (s == null) {
      return null;
    }
    for (String k : c.matchLabelKeys()) {
      String v = pod.labels().get(k);
      if (v != null) {
        s = s.and(dev.dovetail.cloudprovider.Requirement.in(k, v));
      }
    }
    return s;
  }

  /** The variant after {@code step} relaxations (0 = every preference honoured), or null. */
  Variant variant(int step, boolean ignorePreferences, Topology topo, ReqTable table) {
    if (ignorePreferences) {
      step = relaxations();
    }
    while (variants.size() <= step) {
      variants.add(null);
    }
    Variant v = variants.get(step);
    if (v == null) {
      v = new Variant(this, step, topo, table);
      variants.set(step, v);
    }
    return v;
  }

  /** One relaxation step of a class: the constraints treated as required at that step. */
  static final class Variant {
    final PodClass cls;
    final int[] altHard;
    final int[] altSoft;
    final List<Spread> spreads = new ArrayList<>();
    final List<Topology.Group> affinities = new ArrayList<>();
    final List<Boolean> affinitySelf = new ArrayList<>();
    final List<Topology.Group> antis = new ArrayList<>();
    final boolean toleratePreferNoSchedule;

    /** Non-hostname keys a node's domain must be decided for before the pod lands. */
    final String[] keys;

    final boolean hostnameTopology;
    final String description;

    /** Existing nodes that may take this variant's pods (the placer's cache, shared). */
    ExistingCandidates existing;

    /** How many relaxation steps this variant is after the class's first. */
    final int step;

    Variant(PodClass c, int step, Topology topo, ReqTable table) {
      this.cls = c;
      this.step = step;
      int dropAff = Math.min(step, c.prefAffinity.size());
      step -= dropAff;
      int dropAnti = Math.min(step, c.prefAnti.size());
      step -= dropAnti;
      int dropNode = Math.min(step, c.preferredNode.size());
      step -= dropNode;
      int dropSpread = Math.min(step, c.softSpread.size());
      step -= dropSpread;
      toleratePreferNoSchedule = step > 0;
      List<Requirements> hard = new ArrayList<>();
      if (c.requiredTerms.isEmpty()) {
        hard.add(c.base);
      } else {
        for (Requirements t : c.requiredTerms) {
          hard.add(c.base.and(t));
        }
      }
      Requirements pref = dropNode < c.preferredNode.size() ? c.preferredNode.get(dropNode) : null;
      altHard = new int[hard.size()];
      altSoft = new int[hard.size()];
      for (int i = 0; i < hard.size(); i++) {
        altHard[i] = table.intern(hard.get(i));
        altSoft[i] = pref == null ? altHard[i] : table.intern(hard.get(i).and(pref));
      }
      for (TopologySpreadConstraint t : c.hardSpread) {
        spreads.add(new Spread(c, t, topo));
      }
      for (TopologySpreadConstraint t : c.softSpread.subList(dropSpread, c.softSpread.size())) {
        spreads.add(new Spread(c, t, topo));
      }
      List<PodAffinityTerm> aff = new ArrayList<>(c.pod.podAffinity());
      aff.addAll(c.prefAffinity.subList(dropAff, c.prefAffinity.size()));
      for (PodAffinityTerm t : aff) {
        Topology.Group g = topo.group(false, t.topologyKey(), t.selector(), c.namespaces(t));
        affinities.add(g);
        affinitySelf.add(g.matches(c.pod.namespace(), c.pod.labels()));
      }
      List<PodAffinityTerm> anti = new ArrayList<>(c.pod.podAntiAffinity());
      anti.addAll(c.prefAnti.subList(dropAnti, c.prefAnti.size()));
      for (PodAffinityTerm t : anti) {
        antis.add(topo.group(false, t.topologyKey(), t.selector(), c.namespaces(t)));
      }
      Set<String> ks = new LinkedHashSet<>();
      boolean host = false;
      List<Topology.Group> all = new ArrayList<>(affinities);
      all.addAll(antis);
      for (Spread s : spreads) {
        all.add(s.group);
      }
      for (int g : c.matched) {
        all.add(topo.groups.get(g));
      }
      all.addAll(List.of(c.declaredOwners));
      for (Topology.Group g : all) {
        if (g.hostname) {
          host = true;
        } else {
          ks.add(g.key);
        }
      }
      keys = ks.toArray(new String[0]);
      hostnameTopology = host;
      Set<String> dropped = new HashSet<>();
      if (dropAff > 0) {
        dropped.add(dropAff + " preferred pod affinity term(s)");
      }
      if (dropAnti > 0) {
        dropped.add(dropAnti + " preferred pod anti-affinity term(s)");
      }
      if (dropNode > 0) {
        dropped.add(dropNode + " preferred node affinity term(s)");
      }
      if (dropSpread > 0) {
        dropped.add(dropSpread + " ScheduleAnyway spread constraint(s)");
      }
      description = dropped.isEmpty() ? "" : " (after relaxing " + String.join(", ", dropped) + ")";
    }
  }

  /** A spread constraint bound to its count group. */
  static final class Spread {
    final TopologySpreadConstraint c;
    final Topology.Group group;
    final boolean selfMatch;
    int[] eligible; // domain ids, computed lazily by the solver

    Spread(PodClass cls, TopologySpreadConstraint c, Topology topo) {
      this.c = c;
      Requirements sel = cls.spreadSelector(c);
      this.group = topo.group(false, c.topologyKey(), sel, Set.of(cls.pod.namespace()));
      this.selfMatch = group.matches(cls.pod.namespace(), cls.pod.labels());
    }

    @Override
    public String toString() {
      return "topology spread on "
          + c.topologyKey()
          + " (maxSkew "
          + c.maxSkew()
          + (c.minDomains() == null ? "" : ", minDomains " + c.minDomains())
          + ", selector "
          + Objects.toString(group.selector)
          + ")";
    }
  }
}
