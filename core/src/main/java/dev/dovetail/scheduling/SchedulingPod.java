package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod as the engine sees it: what it requests and every scheduling constraint it declares. Used
 * both for pending pods and for pods already running on existing nodes (whose labels feed affinity
 * and topology counts, and whose anti-affinity and host ports bind newcomers).
 *
 * @param id stable identity the caller maps back (e.g. {@code namespace/name} or uid)
 * @param namespace the pod's namespace
 * @param labels the pod's labels
 * @param requests effective requests (max of init containers and sum of containers, plus overhead),
 *     without the {@code pods} count, which the engine adds
 * @param nodeSelector the pod's nodeSelector
 * @param requiredNodeAffinity required node affinity terms, ORed; empty means none
 * @param preferredNodeAffinity preferred node affinity terms
 * @param tolerations the pod's tolerations
 * @param podAffinity required pod affinity terms
 * @param podAntiAffinity required pod anti-affinity terms
 * @param preferredPodAffinity preferred pod affinity terms
 * @param preferredPodAntiAffinity preferred pod anti-affinity terms
 * @param topologySpread topology spread constraints
 * @param hostPorts host ports the pod binds
 * @param volumeRequirements node requirements implied by the pod's volumes (a bound PV's zone, a
 *     StorageClass's allowedTopologies), ANDed with everything else; empty when none
 */
public record SchedulingPod(
    String id,
    String namespace,
    Map<String, String> labels,
    Resources requests,
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

  public SchedulingPod {
    Objects.requireNonNull(id, "id");
    namespace = namespace == null ? "default" : namespace;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    requests = requests == null ? Resources.EMPTY : requests;
    nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    requiredNodeAffinity =
        requiredNodeAffinity == null ? List.of() : List.copyOf(requiredNodeAffinity);
    preferredNodeAffinity =
        preferredNodeAffinity == null ? List.of() : List.copyOf(preferredNodeAffinity);
    tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    podAffinity = podAffinity == null ? List.of() : List.copyOf(podAffinity);
    podAntiAffinity = podAntiAffinity == null ? List.of() : List.copyOf(podAntiAffinity);
    preferredPodAffinity =
        preferredPodAffinity == null ? List.of() : List.copyOf(preferredPodAffinity);
    preferredPodAntiAffinity =
        preferredPodAntiAffinity == null ? List.of() : List.copyOf(preferredPodAntiAffinity);
    topologySpread = topologySpread == null ? List.of() : List.copyOf(topologySpread);
    hostPorts = hostPorts == null ? List.of() : List.copyOf(hostPorts);
    volumeRequirements = volumeRequirements == null ? Requirements.none() : volumeRequirements;
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** A builder pre-filled with this pod's fields. */
  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.namespace = namespace;
    b.labels.putAll(labels);
    b.requests = requests;
    b.nodeSelector.putAll(nodeSelector);
    b.requiredNodeAffinity.addAll(requiredNodeAffinity);
    b.preferredNodeAffinity.addAll(preferredNodeAffinity);
    b.tolerations.addAll(tolerations);
    b.podAffinity.addAll(podAffinity);
    b.podAntiAffinity.addAll(podAntiAffinity);
    b.preferredPodAffinity.addAll(preferredPodAffinity);
    b.preferredPodAntiAffinity.addAll(preferredPodAntiAffinity);
    b.topologySpread.addAll(topologySpread);
    b.hostPorts.addAll(hostPorts);
    b.volumeRequirements = volumeRequirements;
    return b;
  }

  /** Fluent builder; every list/map starts empty. */
  public static final class Builder {
    private final String id;
    private String namespace = "default";
    private final Map<String, String> labels = new LinkedHashMap<>();
    private Resources requests = Resources.EMPTY;
    private final Map<String, String> nodeSelector = new LinkedHashMap<>();
    private final List<Requirements> requiredNodeAffinity = new ArrayList<>();
    private final List<PreferredNodeAffinityTerm> preferredNodeAffinity = new ArrayList<>();
    private final List<Toleration> tolerations = new ArrayList<>();
    private final List<PodAffinityTerm> podAffinity = new ArrayList<>();
    private final List<PodAffinityTerm> podAntiAffinity = new ArrayList<>();
    private final List<WeightedPodAffinityTerm> preferredPodAffinity = new ArrayList<>();
    private final List<WeightedPodAffinityTerm> preferredPodAntiAffinity = new ArrayList<>();
    private final List<TopologySpreadConstraint> topologySpread = new ArrayList<>();
    private final List<HostPort> hostPorts = new ArrayList<>();
    private Requirements volumeRequirements = Requirements.none();

    private Builder(String id) {
      this.id = id;
    }

    public Builder namespace(String v) {
      namespace = v;
      return this;
    }

    public Builder label(String k, String v) {
      labels.put(k, v);
      return this;
    }

    public Builder labels(Map<String, String> v) {
      labels.putAll(v);
      return this;
    }

    public Builder requests(Resources v) {
      requests = v;
      return this;
    }

    /** cpu in millicores, memory in bytes. */
    public Builder requests(long cpuMillis, long memoryBytes) {
      requests = Resources.of(Resources.CPU, cpuMillis, Resources.MEMORY, memoryBytes);
      return this;
    }

    public Builder nodeSelector(String k, String v) {
      nodeSelector.put(k, v);
      return this;
    }

    public Builder nodeSelector(Map<String, String> v) {
      nodeSelector.putAll(v);
      return this;
    }

    /** Adds one ORed required node affinity term. */
    public Builder requiredNodeAffinityTerm(Requirements term) {
      requiredNodeAffinity.add(term);
      return this;
    }

    public Builder preferredNodeAffinity(int weight, Requirements term) {
      preferredNodeAffinity.add(new PreferredNodeAffinityTerm(weight, term));
      return this;
    }

    public Builder toleration(Toleration t) {
      tolerations.add(t);
      return this;
    }

    public Builder tolerations(List<Toleration> t) {
      tolerations.addAll(t);
      return this;
    }

    public Builder podAffinity(PodAffinityTerm t) {
      podAffinity.add(t);
      return this;
    }

    public Builder podAntiAffinity(PodAffinityTerm t) {
      podAntiAffinity.add(t);
      return this;
    }

    public Builder preferredPodAffinity(int weight, PodAffinityTerm t) {
      preferredPodAffinity.add(new WeightedPodAffinityTerm(weight, t));
      return this;
    }

    public Builder preferredPodAntiAffinity(int weight, PodAffinityTerm t) {
      preferredPodAntiAffinity.add(new WeightedPodAffinityTerm(weight, t));
      return this;
    }

    public Builder topologySpread(TopologySpreadConstraint t) {
      topologySpread.add(t);
      return this;
    }

    public Builder hostPort(HostPort p) {
      hostPorts.add(p);
      return this;
    }

    public Builder volumeRequirements(Requirements r) {
      volumeRequirements = r;
      return this;
    }

    public SchedulingPod build() {
      return new SchedulingPod(
          id,
          namespace,
          labels,
          requests,
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
  }
}
