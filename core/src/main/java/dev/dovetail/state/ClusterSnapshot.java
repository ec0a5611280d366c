package dev.dovetail.state;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.scheduling.ExistingNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster as the scheduling engine sees it at one instant: every registered node with the pods
 * that occupy it, every in-flight NodeClaim with the pods planned onto it, and each NodePool's
 * usage. Built by {@link SnapshotBuilder} for provisioning, disruption and {@code dovetail
 * simulate} alike, so the three never disagree about what is already there.
 *
 * @param nodes registered nodes, in the order the cluster lists them
 * @param inFlight NodeClaims whose node has not registered (and that are not being deleted)
 * @param claimsByName every NodeClaim by name
 * @param usageByPool per NodePool: the capacity of its NodeClaims plus {@code nodes} (their count),
 *     what its {@code limits} are checked against
 * @param daemonSetPods one pod per DaemonSet, as each would run on a new node
 */
public record ClusterSnapshot(
    List<RegisteredNode> nodes,
    List<InFlightClaim> inFlight,
    Map<String, NodeClaim> claimsByName,
    Map<String, Resources> usageByPool,
    List<Pod> daemonSetPods) {

  public ClusterSnapshot {
    nodes = List.copyOf(nodes);
    inFlight = List.copyOf(inFlight);
    claimsByName = Map.copyOf(claimsByName);
    usageByPool = Map.copyOf(usageByPool);
    daemonSetPods = List.copyOf(daemonSetPods);
  }

  /**
   * A Node with its NodeClaim (null when Dovetail does not manage it), the pods on it (bound and
   * not finished, plus those nominated to it or to its NodeClaim) and its engine form.
   */
  public record RegisteredNode(Node node, NodeClaim claim, List<Pod> pods, ExistingNode existing) {
    public RegisteredNode {
      pods = List.copyOf(pods);
    }
  }

  /** A NodeClaim launched or launching whose Node has not registered, as engine capacity. */
  public record InFlightClaim(NodeClaim claim, ExistingNode existing) {}

  /** The engine's existing capacity: registered nodes first, then in-flight NodeClaims. */
  public List<ExistingNode> existingNodes() {
    List<ExistingNode> out = new ArrayList<>(nodes.size() + inFlight.size());
    nodes.forEach(n -> out.add(n.existing()));
    inFlight.forEach(c -> out.add(c.existing()));
    return out;
  }

  public Resources usage(String pool) {
    return usageByPool.getOrDefault(pool, Resources.EMPTY);
  }
}
