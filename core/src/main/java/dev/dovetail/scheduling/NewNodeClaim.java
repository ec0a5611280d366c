package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import java.util.List;
import java.util.Map;

/**
 * A NodeClaim the solve wants created.
 *
 * @param hostname a placeholder hostname unique within this result (the pods' hostname-topology
 *     domain); not a Kubernetes name
 * @param nodePool the NodePool it comes from
 * @param requirements the NodeClaim's requirements: the NodePool's, narrowed by the pods' required
 *     constraints (never by preferences), with {@code node.kubernetes.io/instance-type In [options
 *     cheapest first]} and {@code karpenter.sh/nodepool In [pool]}
 * @param instanceTypeOptions compatible, available instance types that hold all its pods, cheapest
 *     first (truncated to {@link SchedulingOptions#maxInstanceTypes()}, minValues kept)
 * @param labels labels the node gets from its NodePool template
 * @param taints the NodePool's taints
 * @param startupTaints the NodePool's startup taints
 * @param podIds the pods planned onto it
 * @param requests the pods' requests plus daemonset overhead (incl. the {@code pods} count)
 * @param cheapestPrice the price of the cheapest compatible available offering of the first option
 * @param minValuesRelaxed the options could not meet a minValues of the NodePool and the solve ran
 *     with {@link SchedulingOptions#relaxMinValues()}: {@code requirements} carry the lowered
 *     minValues (Karpenter's annotation {@code karpenter.sh/nodeclaim-min-values-relaxed})
 */
public record NewNodeClaim(
    String hostname,
    String nodePool,
    Requirements requirements,
    List<InstanceType> instanceTypeOptions,
    Map<String, String> labels,
    List<Taint> taints,
    List<Taint> startupTaints,
    List<String> podIds,
    Resources requests,
    double cheapestPrice,
    boolean minValuesRelaxed) {

  /** A claim whose minValues were met as written. */
  public NewNodeClaim(
      String hostname,
      String nodePool,
      Requirements requirements,
      List<InstanceType> instanceTypeOptions,
      Map<String, String> labels,
      List<Taint> taints,
      List<Taint> startupTaints,
      List<String> podIds,
      Resources requests,
      double cheapestPrice) {
    this(
        hostname,
        nodePool,
        requirements,
        instanceTypeOptions,
        labels,
        taints,
        startupTaints,
        podIds,
        requests,
        cheapestPrice,
        false);
  }

  public NewNodeClaim {
    instanceTypeOptions = List.copyOf(instanceTypeOptions);
    labels = Map.copyOf(labels);
    taints = List.copyOf(taints);
    startupTaints = List.copyOf(startupTaints);
    podIds = List.copyOf(podIds);
  }
}
