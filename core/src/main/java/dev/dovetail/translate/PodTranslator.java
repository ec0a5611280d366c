package dev.dovetail.translate;

import dev.dovetail.cloudprovider.Quantities;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.scheduling.HostPort;
import dev.dovetail.scheduling.PodAffinityTerm;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.Toleration;
import dev.dovetail.scheduling.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Translates fabric8 Pods into engine {@link SchedulingPod}s, computing effective requests the way
 * kube-scheduler does and flattening every scheduling constraint.
 */
public final class PodTranslator {
  private final VolumeTopology volumes;
  private final Function<LabelSelector, Set<String>> namespaceSelector;
  private final PodTranslations shared;

  /**
   * @param volumes resolves PVC topology
   * @param namespaceSelector resolves a non-empty namespaceSelector of an affinity term to the
   *     namespaces it selects
   */
  public PodTranslator(
      VolumeTopology volumes, Function<LabelSelector, Set<String>> namespaceSelector) {
    this(volumes, namespaceSelector, null);
  }

  /**
   * @param shared translations shared with other translators (null: translate every call). Only
   *     pods whose translation reads neither {@code volumes} nor {@code namespaceSelector} are
   *     shared, so translators built with different ones may share one.
   */
  public PodTranslator(
      VolumeTopology volumes,
      Function<LabelSelector, Set<String>> namespaceSelector,
      PodTranslations shared) {
    this.volumes = volumes == null ? VolumeTopology.NONE : volumes;
    this.namespaceSelector = namespaceSelector == null ? s -> Set.of() : namespaceSelector;
    this.shared = shared;
  }

  public PodTranslator() {
    this(VolumeTopology.NONE, null);
  }

  /** Without volume topology or namespace selectors, sharing translations in {@code shared}. */
  public PodTranslator(PodTranslations shared) {
    this(VolumeTopology.NONE, null, shared);
  }

  /**
   * The id the engine uses for a pod, and the cluster state's key for it: {@code namespace/name},
   * the JVM's one copy ({@link String#intern}). The informer's store, the engine's pods and the
   * maps and sets keyed by pod held six copies of each pod's key, ~16 MB at 50,000 pods
   * (2026-12-05).
   */
  public static String id(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    return ((ns == null ? "default" : ns) + "/" + pod.getMetadata().getName()).intern();
  }

  public SchedulingPod translate(Pod pod) {
    if (shared != null && PodTranslations.versioned(pod) && dependsOnPodAlone(pod.getSpec())) {
      return shared.get(pod, this::translateNow);
    }
    return translateNow(pod);
  }

  /**
   * Whether the pod's translation depends on the pod alone (see below), so that it changes only
   * when the pod does.
   */
  public static boolean translatesAlone(Pod pod) {
    return dependsOnPodAlone(pod.getSpec());
  }

  /**
   * Whether the translation reads nothing but the pod: no PersistentVolumeClaim (its topology comes
   * from {@code volumes} and changes with the PV and StorageClass) and no affinity term with a
   * non-empty namespaceSelector (its namespaces come from the namespaces' labels). Such a
   * translation is the same for every translator and changes only with the pod's version.
   */
  static boolean dependsOnPodAlone(PodSpec spec) {
    if (spec == null) {
      return false;
    }
    if (spec.getVolumes() != null) {
      for (Volume v : spec.getVolumes()) {
        if (v.getPersistentVolumeClaim() != null) {
          return false;
        }
      }
    }
    Affinity a = spec.getAffinity();
    if (a == null) {
      return true;
    }
    if (a.getPodAffinity() != null
        && (anyNamespaceSelector(
                a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), null)
            || anyNamespaceSelector(
                null, a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()))) {
      return false;
    }
    return a.getPodAntiAffinity() == null
        || !(anyNamespaceSelector(
                a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), null)
            || anyNamespaceSelector(
                null, a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()));
  }

  private static boolean anyNamespaceSelector(
      List<io.fabric8.kubernetes.api.model.PodAffinityTerm> required,
      List<WeightedPodAffinityTerm> preferred) {
    if (required != null) {
      for (var t : required) {
        if (t.getNamespaceSelector() != null) {
          return true;
        }
      }
    }
    if (preferred != null) {
      for (WeightedPodAffinityTerm t : preferred) {
        if (t.getPodAffinityTerm() != null
            && t.getPodAffinityTerm().getNamespaceSelector() != null) {
          return true;
        }
      }
    }
    return false;
  }

  private SchedulingPod translateNow(Pod pod) {
    Map<String, String> labels =
        pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    String namespace =
        pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
    PodSpec spec = pod.getSpec();
    SchedulingPod.Builder b =
        SchedulingPod.builder(id(pod)).namespace(namespace).labels(labels).requests(requests(spec));
    if (spec.getNodeSelector() != null) {
      b.nodeSelector(spec.getNodeSelector());
    }
    if (spec.getTolerations() != null) {
      for (io.fabric8.kubernetes.api.model.Toleration t : spec.getTolerations()) {
        b.toleration(new Toleration(t.getKey(), t.getOperator(), t.getValue(), t.getEffect()));
      }
    }
    Affinity a = spec.getAffinity();
    if (a != null && a.getNodeAffinity() != null) {
      var na = a.getNodeAffinity();
      if (na.getRequiredDuringSchedulingIgnoredDuringExecution() != null
          && na.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()
              != null) {
        for (NodeSelectorTerm t :
            na.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()) {
          b.requiredNodeAffinityTerm(Selectors.nodeSelectorTerm(t));
        }
      }
      if (na.getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
        for (PreferredSchedulingTerm t : na.getPreferredDuringSchedulingIgnoredDuringExecution()) {
          b.preferredNodeAffinity(
              t.getWeight() == null ? 1 : t.getWeight(),
              Selectors.nodeSelectorTerm(t.getPreference()));
        }
      }
    }
    if (a != null && a.getPodAffinity() != null) {
      var pa = a.getPodAffinity();
      if (pa.getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
        for (var t : pa.getRequiredDuringSchedulingIgnoredDuringExecution()) {
          b.podAffinity(term(t, namespace, labels));
        }
      }
      if (pa.getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
        for (WeightedPodAffinityTerm t : pa.getPreferredDuringSchedulingIgnoredDuringExecution()) {
          b.preferredPodAffinity(weight(t), term(t.getPodAffinityTerm(), namespace, labels));
        }
      }
    }
    if (a != null && a.getPodAntiAffinity() != null) {
      var pa = a.getPodAntiAffinity();
      if (pa.getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
        for (var t : pa.getRequiredDuringSchedulingIgnoredDuringExecution()) {
          b.podAntiAffinity(term(t, namespace, labels));
        }
      }
      if (pa.getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
        for (WeightedPodAffinityTerm t : pa.getPreferredDuringSchedulingIgnoredDuringExecution()) {
          b.preferredPodAntiAffinity(weight(t), term(t.getPodAffinityTerm(), namespace, labels));
        }
      }
    }
    if (spec.getTopologySpreadConstraints() != null) {
      for (var c : spec.getTopologySpreadConstraints()) {
        b.topologySpread(
            new TopologySpreadConstraint(
                c.getMaxSkew() == null ? 1 : c.getMaxSkew(),
                c.getTopologyKey(),
                !"ScheduleAnyway".equals(c.getWhenUnsatisfiable()),
                Selectors.withLabelKeys(
                    Selectors.labelSelector(c.getLabelSelector()),
                    c.getMatchLabelKeys(),
                    null,
                    labels),
                c.getMinDomains(),
                !"Ignore".equals(c.getNodeAffinityPolicy()),
                "Honor".equals(c.getNodeTaintsPolicy()),
                List.of()));
      }
    }
    for (Container c : allContainers(spec)) {
      if (c.getPorts() == null) {
        continue;
      }
      for (ContainerPort p : c.getPorts()) {
        if (p.getHostPort() != null && p.getHostPort() > 0) {
          b.hostPort(new HostPort(p.getProtocol(), p.getHostIP(), p.getHostPort()));
        }
      }
    }
    if (spec.getVolumes() != null) {
      Requirements vr = Requirements.none();
      for (Volume v : spec.getVolumes()) {
        if (v.getPersistentVolumeClaim() != null) {
          vr =
              vr.and(
                  volumes.requirementsFor(namespace, v.getPersistentVolumeClaim().getClaimName()));
        }
      }
      b.volumeRequirements(vr);
    }
    return b.build();
  }

  private static int weight(WeightedPodAffinityTerm t) {
    return t.getWeight() == null ? 1 : t.getWeight();
  }

  private PodAffinityTerm term(
      io.fabric8.kubernetes.api.model.PodAffinityTerm t,
      String namespace,
      Map<String, String> podLabels) {
    Requirements selector =
        Selectors.withLabelKeys(
            Selectors.labelSelector(t.getLabelSelector()),
            t.getMatchLabelKeys(),
            t.getMismatchLabelKeys(),
            podLabels);
    Set<String> namespaces = new HashSet<>();
    if (t.getNamespaces() != null) {
      namespaces.addAll(t.getNamespaces());
    }
    LabelSelector nsSel = t.getNamespaceSelector();
    if (nsSel != null) {
      boolean empty =
          (nsSel.getMatchLabels() == null || nsSel.getMatchLabels().isEmpty())
              && (nsSel.getMatchExpressions() == null || nsSel.getMatchExpressions().isEmpty());
      if (empty) {
        return new PodAffinityTerm(selector, null, t.getTopologyKey());
      }
      namespaces.addAll(namespaceSelector.apply(nsSel));
      if (namespaces.isEmpty()) {
        // A selector that selects no namespace: the term matches no pod.
        namespaces.add("\u0000none");
      }
    } else if (namespaces.isEmpty()) {
      namespaces.add(namespace);
    }
    return new PodAffinityTerm(selector, namespaces, t.getTopologyKey());
  }

  private static List<Container> allContainers(PodSpec spec) {
    List<Container> all = new java.util.ArrayList<>();
    if (spec.getInitContainers() != null) {
      all.addAll(spec.getInitContainers());
    }
    if (spec.getContainers() != null) {
      all.addAll(spec.getContainers());
    }
    return all;
  }

  /**
   * Effective requests as kube-scheduler computes them: the larger of the sum of app containers
   * (plus restartable "sidecar" init containers) and each init container's peak, plus pod overhead.
   */
  public static Resources requests(PodSpec spec) {
    Map<String, Long> sum = new HashMap<>();
    if (spec.getContainers() != null) {
      for (Container c : spec.getContainers()) {
        addInto(sum, containerRequests(c));
      }
    }
    Map<String, Long> sidecars = new HashMap<>();
    Map<String, Long> initPeak = new HashMap<>();
    if (spec.getInitContainers() != null) {
      for (Container c : spec.getInitContainers()) {
        Map<String, Long> r = containerRequests(c);
        Map<String, Long> peak = new HashMap<>(sidecars);
        addInto(peak, r);
        if ("Always".equals(c.getRestartPolicy())) {
          addInto(sidecars, r);
        }
        peak.forEach((k, v) -> initPeak.merge(k, v, Math::max));
      }
    }
    addInto(sum, sidecars);
    initPeak.forEach((k, v) -> sum.merge(k, v, Math::max));
    if (spec.getOverhead() != null) {
      addInto(sum, quantities(spec.getOverhead()));
    }
    return Resources.of(sum);
  }

  private static Map<String, Long> containerRequests(Container c) {
    if (c.getResources() == null) {
      return Map.of();
    }
    Map<String, Quantity> req = c.getResources().getRequests();
    Map<String, Quantity> lim = c.getResources().getLimits();
    Map<String, Long> out = new HashMap<>();
    if (lim != null) {
      // A limit without a request defaults the request to the limit.
      out.putAll(quantities(lim));
    }
    if (req != null) {
      out.putAll(quantities(req));
    }
    return out;
  }

  /** fabric8 quantities in canonical units. */
  public static Map<String, Long> quantities(Map<String, Quantity> q) {
    Map<String, Long> out = new HashMap<>();
    if (q != null) {
      q.forEach((k, v) -> out.put(k, Quantities.toCanonical(k, v.toString())));
    }
    return out;
  }

  private static void addInto(Map<String, Long> acc, Map<String, Long> add) {
    add.forEach((k, v) -> acc.merge(k, v, Long::sum));
  }
}
