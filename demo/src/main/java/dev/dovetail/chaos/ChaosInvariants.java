package dev.dovetail.chaos;

import dev.dovetail.apis.v1.Karpenter.Conditions;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.NodeUtils;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariants a chaos run is judged by, measured on the operator's view of the API server and on
 * the cloud's instances (listed without faults).
 *
 * @param podsLost desired pods not bound to a Node that exists
 * @param leakedInstances instances no NodeClaim names
 * @param duplicateInstances instances beyond the first for the same NodeClaim
 * @param stuckNodeClaims NodeClaims not initialized, still deleting, naming an instance that no
 *     longer exists, or whose node is not Ready or still carries the {@code karpenter.sh/disrupted}
 *     taint (a disruption a killed operator started and nobody finished or rolled back: the node
 *     takes no pods)
 * @param pending pods neither bound nor finished
 * @param unexplainedPending pending pods the provisioner gives no reason for
 */
record ChaosInvariants(
    int podsLost,
    int leakedInstances,
    int duplicateInstances,
    int stuckNodeClaims,
    int pending,
    int unexplainedPending) {

  static ChaosInvariants measure(
      DovetailOperator operator, Set<String> desired, List<Instance> instances) {
    ClusterState state = operator.state();
    Map<String, String> reasons = operator.provisioner().unschedulableReasons();
    Map<String, Node> nodes = new HashMap<>();
    Map<String, Node> nodesByProviderId = new HashMap<>();
    for (Node n : state.nodes()) {
      nodes.put(n.getMetadata().getName(), n);
      if (n.getSpec() != null && n.getSpec().getProviderID() != null) {
        nodesByProviderId.put(n.getSpec().getProviderID(), n);
      }
    }
    Set<String> bound = new HashSet<>();
    int pending = 0;
    int unexplained = 0;
    for (Pod p : state.pods()) {
      if (PodUtils.isBound(p) && nodes.containsKey(p.getSpec().getNodeName())) {
        bound.add(p.getMetadata().getName());
      }
      if (!PodUtils.isBound(p) && !PodUtils.isTerminal(p)) {
        pending++;
        if (!reasons.containsKey(ClusterState.podKey(p))) {
          unexplained++;
        }
      }
    }
    int lost = 0;
    for (String name : desired) {
      if (!bound.contains(name)) {
        lost++;
      }
    }
    Set<String> instanceIds = new HashSet<>();
    Map<String, Integer> perClaim = new HashMap<>();
    for (Instance i : instances) {
      instanceIds.add(i.providerId());
      perClaim.merge(String.valueOf(i.nodeClaim()), 1, Integer::sum);
    }
    int duplicates = perClaim.values().stream().mapToInt(n -> n - 1).sum();
    Set<String> claimed = new HashSet<>();
    int stuck = 0;
    for (NodeClaim c : state.nodeClaims()) {
      String providerId = c.getStatus() == null ? null : c.getStatus().getProviderID();
      if (providerId != null) {
        claimed.add(providerId);
      }
      var conditions = c.getStatus() == null ? null : c.getStatus().getConditions();
      Node node = providerId == null ? null : nodesByProviderId.get(providerId);
      if (c.getMetadata().getDeletionTimestamp() != null
          || !dev.dovetail.kube.Conditions.isTrue(conditions, Conditions.INITIALIZED)
          || !instanceIds.contains(providerId)
          || node == null
          || !NodeUtils.isReady(node)
          || NodeUtils.hasDisruptedTaint(node)) {
        stuck++;
      }
    }
    int leaked = 0;
    for (String id : instanceIds) {
      if (!claimed.contains(id)) {
        leaked++;
      }
    }
    return new ChaosInvariants(lost, leaked, duplicates, stuck, pending, unexplained);
  }

  /** Every desired pod bound, nothing leaked, duplicated, stuck or pending. */
  boolean settled() {
    return podsLost == 0
        && leakedInstances == 0
        && duplicateInstances == 0
        && stuckNodeClaims == 0
        && pending == 0;
  }
}
