package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A NodePool as the engine needs it to plan new NodeClaims.
 *
 * @param name the NodePool name
 * @param weight higher weights are tried first (Karpenter: 1..100; absent = 0)
 * @param requirements {@code spec.template.spec.requirements}, with minValues
 * @param labels {@code spec.template.metadata.labels}
 * @param taints {@code spec.template.spec.taints}: pods must tolerate them
 * @param startupTaints {@code spec.template.spec.startupTaints}: ignored for scheduling (removed by
 *     a daemon after start)
 * @param limits {@code spec.limits}; null or empty means unlimited; may include {@code nodes}
 * @param usage what the NodePool's existing NodeClaims already hold (capacity, plus {@code nodes})
 * @param instanceTypes every instance type the provider offers for this NodePool
 * @param daemonSets one pod per DaemonSet that could run on the pool's nodes; those compatible with
 *     a new node add their requests to it
 */
public record NodePoolTemplate(
    String name,
    int weight,
    Requirements requirements,
    Map<String, String> labels,
    List<Taint> taints,
    List<Taint> startupTaints,
    Resources limits,
    Resources usage,
    List<InstanceType> instanceTypes,
    List<SchedulingPod> daemonSets) {

  public NodePoolTemplate {
    Objects.requireNonNull(name, "name");
    requirements = requirements == null ? Requirements.none() : requirements;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    taints = taints == null ? List.of() : List.copyOf(taints);
    startupTaints = startupTaints == null ? List.of() : List.copyOf(startupTaints);
    limits = limits == null ? Resources.EMPTY : limits;
    usage = usage == null ? Resources.EMPTY : usage;
    instanceTypes = instanceTypes == null ? List.of() : List.copyOf(instanceTypes);
    daemonSets = daemonSets == null ? List.of() : List.copyOf(daemonSets);
  }

  /** A NodePool with only a name, requirements and instance types (weight 0, no limits). */
  public static NodePoolTemplate of(
      String name, Requirements requirements, List<InstanceType> instanceTypes) {
    return new NodePoolTemplate(
        name,
        0,
        requirements,
        Map.of(),
        List.of(),
        List.of(),
        null,
        null,
        instanceTypes,
        List.of());
  }
}
