package dev.dovetail.controllers.disruption.model;

import dev.dovetail.scheduling.SchedulingPod;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A node Dovetail manages, as disruption sees it.
 *
 * @param nodeClaim the NodeClaim name
 * @param node the Node name (the engine's node name)
 * @param nodePool the owning NodePool
 * @param instanceType the node's instance type
 * @param capacityType {@code on-demand}, {@code spot} or {@code reserved}
 * @param zone the node's zone
 * @param price what the node costs per hour
 * @param pods the pods that would have to move if the node went away (reschedulable pods: no
 *     DaemonSet, mirror or terminal pods)
 * @param consolidatableSince when the node became consolidatable (initialization or its last pod
 *     event, whichever is later); null while not initialized
 * @param driftReason why the node drifted, or null
 * @param blockedReason why it may not be disrupted voluntarily (do-not-disrupt, PDB, uncontrolled
 *     pod, already disrupting), or null
 * @param disruptionCost how much moving its pods hurts (lower is disrupted first)
 */
public record Candidate(
    String nodeClaim,
    String node,
    String nodePool,
    String instanceType,
    String capacityType,
    String zone,
    double price,
    List<SchedulingPod> pods,
    Instant consolidatableSince,
    String driftReason,
    String blockedReason,
    double disruptionCost) {

  public Candidate {
    Objects.requireNonNull(nodeClaim, "nodeClaim");
    Objects.requireNonNull(node, "node");
    pods = pods == null ? List.of() : List.copyOf(pods);
  }

  public boolean empty() {
    return pods.isEmpty();
  }

  public boolean spot() {
    return "spot".equals(capacityType);
  }

  public boolean blocked() {
    return blockedReason != null;
  }

  public Candidate withBlockedReason(String reason) {
    return new Candidate(
        nodeClaim,
        node,
        nodePool,
        instanceType,
        capacityType,
        zone,
        price,
        pods,
        consolidatableSince,
        driftReason,
        reason,
        disruptionCost);
  }

  @Override
  public String toString() {
    return nodeClaim + "(" + instanceType + "/" + capacityType + ", $" + price + "/h)";
  }
}
