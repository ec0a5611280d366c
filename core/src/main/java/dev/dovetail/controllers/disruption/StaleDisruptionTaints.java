package dev.dovetail.controllers.disruption;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.state.NodeUtils;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Nodes left with the {@code karpenter.sh/disrupted:NoSchedule} taint by a disruption command that
 * no longer runs: the operator was stopped or killed between tainting a candidate and deleting it
 * (or rolling it back), or an untaint failed. Such a node takes no new pods for ever, so each pass
 * finds them first, as upstream's disruption controller does before it computes anything
 * (candidates not in the orchestration queue and not being deleted are untainted).
 *
 * <p>A node is left alone when its NodeClaim is a candidate of a command in flight, when it or its
 * NodeClaim is being deleted (termination taints it too), and when no NodeClaim owns it (not a node
 * Dovetail manages).
 */
final class StaleDisruptionTaints {
  private StaleDisruptionTaints() {}

  /** The names of the nodes whose disrupted taint nothing accounts for. */
  static List<String> find(
      Collection<Node> nodes, Collection<NodeClaim> claims, Set<String> inFlightCandidates) {
    Map<String, NodeClaim> byProviderId = new HashMap<>();
    for (NodeClaim c : claims) {
      String pid = c.getStatus() == null ? null : c.getStatus().getProviderID();
      if (pid != null) {
        byProviderId.put(pid, c);
      }
    }
    List<String> stale = new ArrayList<>();
    for (Node n : nodes) {
      if (!NodeUtils.hasDisruptedTaint(n) || n.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      NodeClaim claim =
          n.getSpec().getProviderID() == null
              ? null
              : byProviderId.get(n.getSpec().getProviderID());
      if (claim == null
          || claim.getMetadata().getDeletionTimestamp() != null
          || inFlightCandidates.contains(claim.getMetadata().getName())) {
        continue;
      }
      stale.add(n.getMetadata().getName());
    }
    return stale;
  }
}
