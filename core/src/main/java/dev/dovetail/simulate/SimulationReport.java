package dev.dovetail.simulate;

import java.util.List;

/**
 * What {@code dovetail simulate} answers, in the stable shape {@code --output json} prints (field
 * names are part of the CLI's contract; new fields may be added, none renamed).
 *
 * @param question {@code provision}, {@code consolidate}, {@code remove-node} or {@code
 *     nodepool-change}
 * @param costPerHour what the answer costs per hour: the new NodeClaims for {@code provision} and
 *     {@code remove-node}, the cluster after the change for the others
 * @param existingCostPerHour the existing nodes' cost per hour before the answer
 * @param pods every pod the question moves or places, placed or with the reason it is not
 * @param nodeClaims the NodeClaims that would be launched
 * @param unschedulable how many pods could not be placed
 * @param nodes every node of the answer (existing and planned) with the pods on it, for the report
 * @param removals nodes the answer removes or replaces (consolidate, remove-node), with the reason
 * @param kept nodes consolidation keeps, each with what pins it
 * @param change the cost and node-count delta of a NodePool edit (nodepool-change), else null
 * @param notes what the reader should know about the input (ignored documents, catalogs used)
 */
public record SimulationReport(
    String question,
    double costPerHour,
    double existingCostPerHour,
    List<PodResult> pods,
    List<PlannedNodeClaim> nodeClaims,
    int unschedulable,
    List<NodeBar> nodes,
    List<Removal> removals,
    List<Kept> kept,
    Change change,
    List<String> notes) {

  /** One pod: where it goes ({@code node} or {@code nodeClaim}), or why it cannot go anywhere. */
  public record PodResult(
      String namespace,
      String name,
      String node,
      String nodeClaim,
      String instanceType,
      String zone,
      String capacityType,
      String reason) {}

  /** A NodeClaim the answer would create. */
  public record PlannedNodeClaim(
      String name,
      String nodePool,
      String instanceType,
      String zone,
      String capacityType,
      double pricePerHour,
      List<String> pods) {}

  /** A node with its pods' requests, for the report's bars. */
  public record NodeBar(
      String name,
      boolean planned,
      String nodePool,
      String instanceType,
      double pricePerHour,
      long allocatableMillicores,
      long allocatableBytes,
      List<PodBar> pods) {}

  /** A pod's requests on a node. */
  public record PodBar(String name, long millicores, long bytes) {}

  /** A node an answer removes ({@code delete}) or replaces ({@code replace}). */
  public record Removal(
      String node,
      String action,
      String method,
      double pricePerHour,
      List<String> replacements,
      String reason) {}

  /** A node consolidation keeps, and what pins it. */
  public record Kept(String node, String reason) {}

  /** Before and after a NodePool edit. */
  public record Change(
      double costPerHourBefore,
      double costPerHourAfter,
      int nodesBefore,
      int nodesAfter,
      int unschedulableBefore,
      int unschedulableAfter) {}
}
