package dev.dovetail.controllers.provisioning;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.ClusterView;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster as a pass should see it: the informer cache plus the NodeClaims this provisioner
 * created that the cache does not hold yet (upstream writes its creates into cluster state at once
 * for this). They are in flight like any other claim: the pods nominated to them occupy them, and
 * pods that fit in their spare room go there instead of onto a claim bought twice. A claim the
 * cache holds by now is listed once, from the cache.
 */
final class WithOwnCreates implements ClusterView {
  private final ClusterView cache;
  private final List<NodeClaim> own;

  WithOwnCreates(ClusterView cache, List<NodeClaim> own) {
    this.cache = cache;
    this.own = own;
  }

  @Override
  public List<NodeClaim> nodeClaims() {
    List<NodeClaim> cached = cache.nodeClaims();
    if (own.isEmpty()) {
      return cached;
    }
    Set<String> names = new HashSet<>();
    for (NodeClaim c : cached) {
      names.add(c.getMetadata().getName());
    }
    List<NodeClaim> out = new ArrayList<>(cached);
    for (NodeClaim c : own) {
      if (!names.contains(c.getMetadata().getName())) {
        out.add(c);
      }
    }
    return out;
  }

  @Override
  public List<Pod> pods() {
    return cache.pods();
  }

  @Override
  public List<Pod> podsOn(String nodeName) {
    return cache.podsOn(nodeName);
  }

  @Override
  public List<Node> nodes() {
    return cache.nodes();
  }

  @Override
  public List<NodePool> nodePools() {
    return cache.nodePools();
  }

  @Override
  public List<DaemonSet> daemonSets() {
    return cache.daemonSets();
  }

  @Override
  public Optional<ClusterState.Nomination> nomination(Pod pod) {
    return cache.nomination(pod);
  }

  @Override
  public List<Pod> nominatedPods() {
    return cache.nominatedPods();
  }

  @Override
  public Map<String, List<Pod>> nominatedByTarget() {
    return cache.nominatedByTarget();
  }
}
