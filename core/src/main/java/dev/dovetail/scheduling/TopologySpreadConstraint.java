package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Requirements;
import java.util.List;
import java.util.Objects;

/**
 * A pod topology spread constraint, as kube-scheduler evaluates it.
 *
 * @param maxSkew the largest allowed difference between a domain's matching-pod count and the
 *     smallest count over eligible domains
 * @param topologyKey the node label that defines a domain
 * @param doNotSchedule true for {@code whenUnsatisfiable: DoNotSchedule}; false for {@code
 *     ScheduleAnyway}, which the engine treats as a preference
 * @param selector the label selector as requirements; null matches no pod
 * @param minDomains the minimum number of eligible domains (null = 1); while fewer domains exist
 *     the global minimum counts as 0
 * @param honorNodeAffinity {@code nodeAffinityPolicy: Honor} (the default): only nodes matching the
 *     pod's nodeSelector/required affinity count as domains
 * @param honorNodeTaints {@code nodeTaintsPolicy: Honor} (default Ignore): nodes with taints the
 *     pod does not tolerate are not domains
 * @param matchLabelKeys pod label keys whose values are added to the selector (the owning pod's
 *     values)
 */
public record TopologySpreadConstraint(
    int maxSkew,
    String topologyKey,
    boolean doNotSchedule,
    Requirements selector,
    Integer minDomains,
    boolean honorNodeAffinity,
    boolean honorNodeTaints,
    List<String> matchLabelKeys) {

  public TopologySpreadConstraint {
    Objects.requireNonNull(topologyKey, "topologyKey");
    matchLabelKeys = matchLabelKeys == null ? List.of() : List.copyOf(matchLabelKeys);
    if (maxSkew < 1) {
      throw new IllegalArgumentException("maxSkew must be >= 1");
    }
  }

  /** A DoNotSchedule constraint with the default policies. */
  public static TopologySpreadConstraint of(
      int maxSkew, String topologyKey, Requirements selector) {
    return new TopologySpreadConstraint(
        maxSkew, topologyKey, true, selector, null, true, false, List.of());
  }
}
