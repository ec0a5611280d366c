package dev.dovetail.simulate;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimSpec;
import dev.dovetail.apis.v1.NodeClaimStatus;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.ClusterView;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster read from files, as the controller's snapshot and disruption model read a live one.
 * Nodes that carry {@code karpenter.sh/nodepool} get the initialized NodeClaim the controller would
 * have made for them (unless the files hold it), so consolidation can consider them.
 */
public final class FileCluster implements ClusterView {
  private final List<Pod> pods;
  private final Map<String, List<Pod>> podsByNode = new HashMap<>();
  private final List<Node> nodes;
  private final List<NodeClaim> nodeClaims;
  private final List<NodePool> nodePools;
  private final List<DaemonSet> daemonSets;
  private final List<PodDisruptionBudget> pdbs;

  public FileCluster(
      List<Pod> pods,
      List<Node> nodes,
      List<NodePool> nodePools,
      List<DaemonSet> daemonSets,
      List<PodDisruptionBudget> pdbs,
      Instant now) {
    this.pods = List.copyOf(pods);
    for (Pod p : this.pods) {
      String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
      if (node != null && !node.isEmpty()) {
        podsByNode.computeIfAbsent(node, k -> new ArrayList<>()).add(p);
      }
    }
    List<Node> withIds = new ArrayList<>();
    List<NodeClaim> claims = new ArrayList<>();
    for (Node n : nodes) {
      Node node = withProviderId(n);
      withIds.add(node);
      String pool = labels(node.getMetadata()).get(WellKnownLabels.NODE_POOL);
      if (pool != null) {
        claims.add(claimFor(node, now));
      }
    }
    this.nodes = List.copyOf(withIds);
    this.nodeClaims = List.copyOf(claims);
    this.nodePools = List.copyOf(nodePools);
    this.daemonSets = List.copyOf(daemonSets);
    this.pdbs = List.copyOf(pdbs);
  }

  /** Nodes without a providerID (hand-written files) get one, so NodeClaims can point at them. */
  private static Node withProviderId(Node n) {
    if (n.getSpec() != null && n.getSpec().getProviderID() != null) {
      return n;
    }
    Node copy = io.fabric8.kubernetes.client.utils.Serialization.clone(n);
    if (copy.getSpec() == null) {
      copy.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
    }
    copy.getSpec().setProviderID("simulate:///" + n.getMetadata().getName());
    return copy;
  }

  private static NodeClaim claimFor(Node node, Instant now) {
    NodeClaim claim = new NodeClaim();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(node.getMetadata().getName());
    meta.setLabels(new LinkedHashMap<>(labels(node.getMetadata())));
    meta.setAnnotations(
        new LinkedHashMap<>(
            node.getMetadata().getAnnotations() == null
                ? Map.of()
                : node.getMetadata().getAnnotations()));
    String created =
        node.getMetadata().getCreationTimestamp() != null
            ? node.getMetadata().getCreationTimestamp()
            : now.minusSeconds(3600).toString();
    meta.setCreationTimestamp(created);
    claim.setMetadata(meta);
    claim.setSpec(new NodeClaimSpec());
    NodeClaimStatus status = new NodeClaimStatus();
    status.setProviderID(node.getSpec().getProviderID());
    status.setNodeName(node.getMetadata().getName());
    if (node.getStatus() != null) {
      status.setCapacity(node.getStatus().getCapacity());
      status.setAllocatable(node.getStatus().getAllocatable());
    }
    List<Condition> conditions = new ArrayList<>();
    for (String type :
        List.of(
            Karpenter.Conditions.LAUNCHED,
            Karpenter.Conditions.REGISTERED,
            Karpenter.Conditions.INITIALIZED)) {
      conditions.add(
          new ConditionBuilder()
              .withType(type)
              .withStatus("True")
              .withReason(type)
              .withLastTransitionTime(created)
              .build());
    }
    status.setConditions(conditions);
    claim.setStatus(status);
    return claim;
  }

  private static Map<String, String> labels(ObjectMeta m) {
    return m.getLabels() == null ? Map.of() : m.getLabels();
  }

  public List<PodDisruptionBudget> podDisruptionBudgets() {
    return pdbs;
  }

  @Override
  public List<Pod> pods() {
    return pods;
  }

  @Override
  public List<Pod> podsOn(String nodeName) {
    return podsByNode.getOrDefault(nodeName, List.of());
  }

  @Override
  public List<Node> nodes() {
    return nodes;
  }

  @Override
  public List<NodeClaim> nodeClaims() {
    return nodeClaims;
  }

  @Override
  public List<NodePool> nodePools() {
    return nodePools;
  }

  @Override
  public List<DaemonSet> daemonSets() {
    return daemonSets;
  }

  @Override
  public Optional<ClusterState.Nomination> nomination(Pod pod) {
    return Optional.empty();
  }
}
