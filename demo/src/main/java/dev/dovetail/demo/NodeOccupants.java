package dev.dovetail.demo;

import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Who takes room on a node as the stand-in scheduler's filters see it: the pods the cache shows
 * bound there, the pods being bound there that it does not show yet (assumed), and the pending pods
 * nominated to it that are not being decided now. The last is kube-scheduler's {@code
 * addNominatedPods}: a node's nominated pods (of equal or higher priority; the stand-in has no
 * priorities) count as on it when another pod is filtered, so a node bought for some pods is not
 * taken by others first. Without it, waiting pods moved by a node's arrival took the room of the
 * pods nominated to that node whenever their round came first, the nominated pods were left over,
 * and capacity was bought for them again — a different amount from run to run, as the rounds fell.
 */
final class NodeOccupants implements Function<String, List<Pod>> {
  private final Function<String, List<Pod>> bound;
  private final Map<String, List<Pod>> assumed;
  private final Map<String, List<Pod>> nominated;
  private final Set<String> deciding;
  private final Set<String> assumedUids = new HashSet<>();

  /**
   * @param bound the cache's pods on a node
   * @param assumed node name to the pods being bound there
   * @param nominated node name to the pending pods nominated to it
   * @param deciding uids of the pods being decided: they hold no room anywhere
   */
  NodeOccupants(
      Function<String, List<Pod>> bound,
      Map<String, List<Pod>> assumed,
      Map<String, List<Pod>> nominated,
      Set<String> deciding) {
    this.bound = bound;
    this.assumed = assumed;
    this.nominated = nominated;
    this.deciding = deciding;
    assumed.values().forEach(pods -> pods.forEach(p -> assumedUids.add(uid(p))));
  }

  /**
   * The pending pods nominated to each node: {@code nominatedNode} gives a pod's node or null (a
   * nomination to a NodeClaim without a Node yet holds no node's room).
   */
  static Map<String, List<Pod>> nominated(List<Pod> pending, Function<Pod, String> nominatedNode) {
    Map<String, List<Pod>> byNode = new HashMap<>();
    for (Pod p : pending) {
      String node = nominatedNode.apply(p);
      if (node != null) {
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(p);
      }
    }
    return byNode;
  }

  /** The uids of some pods, for {@code deciding}. */
  static Set<String> uids(List<Pod> pods) {
    Set<String> out = new HashSet<>();
    pods.forEach(p -> out.add(uid(p)));
    return out;
  }

  @Override
  public List<Pod> apply(String node) {
    List<Pod> on = bound.apply(node);
    List<Pod> beingBound = assumed.getOrDefault(node, List.of());
    List<Pod> held = nominated.getOrDefault(node, List.of());
    if (beingBound.isEmpty() && held.isEmpty()) {
      return on;
    }
    List<Pod> all = new ArrayList<>(on);
    Set<String> counted = new HashSet<>();
    on.forEach(p -> counted.add(uid(p)));
    for (Pod p : beingBound) {
      if (counted.add(uid(p))) {
        all.add(p);
      }
    }
    for (Pod p : held) {
      // A pod being bound anywhere is counted where it goes (or is already in the cache there).
      String id = uid(p);
      if (!deciding.contains(id) && !assumedUids.contains(id) && counted.add(id)) {
        all.add(p);
      }
    }
    return all;
  }

  private static String uid(Pod pod) {
    return pod.getMetadata().getUid() != null
        ? pod.getMetadata().getUid()
        : ClusterState.podKey(pod);
  }
}
