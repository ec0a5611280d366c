package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Requirements;
import java.util.Objects;
import java.util.Set;

/**
 * A pod (anti-)affinity term: pods matching {@code selector} in {@code namespaces}, counted per
 * value of {@code topologyKey}.
 *
 * @param selector the label selector as requirements ({@code matchLabels} become {@code In}; {@code
 *     matchLabelKeys} already merged in by the translator); null matches no pod
 * @param namespaces the namespaces whose pods are considered; null means all namespaces (an empty
 *     namespaceSelector), an empty set means the owning pod's namespace
 * @param topologyKey the node label that defines a domain
 */
public record PodAffinityTerm(Requirements selector, Set<String> namespaces, String topologyKey) {

  public PodAffinityTerm {
    Objects.requireNonNull(topologyKey, "topologyKey");
    namespaces = namespaces == null ? null : Set.copyOf(namespaces);
  }

  public static PodAffinityTerm of(Requirements selector, String topologyKey) {
    return new PodAffinityTerm(selector, Set.of(), topologyKey);
  }
}
