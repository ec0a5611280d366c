package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Capacity that already exists or is already being launched.
 *
 * @param name the Node name, or the NodeClaim name for an in-flight claim
 * @param labels the node's labels (for an in-flight claim: its NodePool's labels plus the
 *     single-valued requirements, e.g. zone when decided)
 * @param taints the node's taints (for an in-flight claim: its taints without startup taints)
 * @param allocatable what pods can use on the node
 * @param requested what the pods already bound to it request; its {@code pods} entry is the number
 *     of pods (when absent the engine uses {@code pods.size()})
 * @param pods the pods on it (for affinity, anti-affinity, topology counting and host ports)
 * @param inFlight true for a NodeClaim that has no Node yet (tried after real nodes)
 * @param markedForDeletion true when the node is being deleted or disrupted: never used
 * @param nodePool the owning NodePool, or null for nodes Dovetail does not manage
 */
public record ExistingNode(
    String name,
    Map<String, String> labels,
    List<Taint> taints,
    Resources allocatable,
    Resources requested,
    List<SchedulingPod> pods,
    boolean inFlight,
    boolean markedForDeletion,
    String nodePool) {

  public ExistingNode {
    Objects.requireNonNull(name, "name");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    taints = taints == null ? List.of() : List.copyOf(taints);
    allocatable = allocatable == null ? Resources.EMPTY : allocatable;
    requested = requested == null ? Resources.EMPTY : requested;
    pods = pods == null ? List.of() : List.copyOf(pods);
  }
}
