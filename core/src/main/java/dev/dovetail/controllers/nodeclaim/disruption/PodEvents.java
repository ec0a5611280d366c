package dev.dovetail.controllers.nodeclaim.disruption;

import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's nodeclaim/podevents, observed by polling: which nodes' sets of workload pods (bound,
 * not finished, not DaemonSet or mirror pods) changed since the last look. A pod scheduled to or
 * leaving a node is a pod event that restarts the node's {@code consolidateAfter} clock. The first
 * look at a node (e.g. after a restart) is a baseline, not an event: {@code lastPodEventTime} on
 * the NodeClaim carries what happened before.
 */
final class PodEvents {
  private final Map<String, Set<String>> podsByNode = new HashMap<>();

  /** The nodes whose workload pods changed since the previous call. */
  Set<String> changedNodes(ClusterState state) {
    Set<String> changed = new HashSet<>();
    Set<String> seen = new HashSet<>();
    for (Node n : state.nodes()) {
      String name = n.getMetadata().getName();
      seen.add(name);
      Set<String> pods = new HashSet<>();
      for (Pod p : state.podsOn(name)) {
        if (workload(p)) {
          pods.add(ClusterState.podKey(p));
        }
      }
      Set<String> prev = podsByNode.put(name, pods);
      if (prev != null && !prev.equals(pods)) {
        changed.add(name);
      }
    }
    podsByNode.keySet().retainAll(seen);
    return changed;
  }

  private static boolean workload(Pod p) {
    return !PodUtils.isTerminal(p)
        && !PodUtils.isTerminating(p)
        && !PodUtils.isOwnedBy(p, "DaemonSet")
        && !PodUtils.isOwnedBy(p, "Node");
  }
}
