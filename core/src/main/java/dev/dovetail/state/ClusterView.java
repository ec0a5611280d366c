package dev.dovetail.state;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the scheduling snapshot reads of a cluster: the informer-backed {@link ClusterState} in the
 * controller, a cluster built from YAML files in {@code dovetail simulate}. Reading only: nothing
 * here writes to an API server.
 */
public interface ClusterView {
  List<Pod> pods();

  /** The pods bound to a node (any phase). */
  List<Pod> podsOn(String nodeName);

  List<Node> nodes();

  List<NodeClaim> nodeClaims();

  List<NodePool> nodePools();

  List<DaemonSet> daemonSets();

  /** The pod's live nomination (a node or NodeClaim it was planned onto), if it has one. */
  Optional<ClusterState.Nomination> nomination(Pod pod);

  /**
   * The unbound, not terminating pods with a live nomination: they occupy the capacity they were
   * planned onto until they bind. A view that indexes its nominations answers from them.
   */
  default List<Pod> nominatedPods() {
    List<Pod> out = new ArrayList<>();
    for (Pod p : pods()) {
      if (!PodUtils.isBound(p) && !PodUtils.isTerminating(p) && nomination(p).isPresent()) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * {@link #nominatedPods()} by the node or NodeClaim each is nominated to. A view that indexes its
   * nominations checks each once.
   */
  default Map<String, List<Pod>> nominatedByTarget() {
    Map<String, List<Pod>> out = new HashMap<>();
    for (Pod p : nominatedPods()) {
      nomination(p).ifPresent(n -> out.computeIfAbsent(n.target(), k -> new ArrayList<>()).add(p));
    }
    return out;
  }
}
