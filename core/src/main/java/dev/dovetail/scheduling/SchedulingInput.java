package dev.dovetail.scheduling;

import java.util.List;

/**
 * Everything one solve looks at.
 *
 * @param pods pending pods to place
 * @param nodes existing nodes and in-flight NodeClaims, with their pods
 * @param nodePools NodePools that may create new NodeClaims
 * @param options knobs
 */
public record SchedulingInput(
    List<SchedulingPod> pods,
    List<ExistingNode> nodes,
    List<NodePoolTemplate> nodePools,
    SchedulingOptions options) {

  public SchedulingInput {
    pods = pods == null ? List.of() : List.copyOf(pods);
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    nodePools = nodePools == null ? List.of() : List.copyOf(nodePools);
    options = options == null ? SchedulingOptions.DEFAULT : options;
  }

  public static SchedulingInput of(
      List<SchedulingPod> pods, List<ExistingNode> nodes, List<NodePoolTemplate> nodePools) {
    return new SchedulingInput(pods, nodes, nodePools, SchedulingOptions.DEFAULT);
  }
}
