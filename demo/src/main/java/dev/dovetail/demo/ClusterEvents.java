package dev.dovetail.demo;

import dev.dovetail.state.ClusterState;
import dev.dovetail.state.NodeUtils;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What happened in the cluster since the binder's last round that could make a waiting pod fit,
 * kube-scheduler's move-on-event: room freed on a node (a bound pod deleted or finished), a pod
 * bound (for pods with pod affinity or topology spread), volumes changed, and nodes added or
 * changed in what the filters read (labels, taints, cordon, allocatable, readiness, deletion).
 *
 * <p>Pod and volume events are heard from the cache's listener (informer threads: only flags are
 * set there); nodes are compared round by round with what the previous round saw, the same instance
 * meaning no change, so a node's unrelated updates move no pod.
 */
final class ClusterEvents {
  private final ClusterState state;
  private final AtomicBoolean roomFreed = new AtomicBoolean();
  private final AtomicBoolean podsBound = new AtomicBoolean();
  private final AtomicBoolean volumesChanged = new AtomicBoolean();

  /** The schedulable view of each node as the previous round saw it (the round thread only). */
  private Map<String, Seen> nodes = new HashMap<>();

  private record Seen(Node node, View view) {}

  /** What kube-scheduler's filters read of a node. */
  private record View(
      Map<String, String> labels,
      List<Taint> taints,
      boolean cordoned,
      Map<String, Quantity> allocatable,
      boolean ready,
      boolean deleting) {
    static View of(Node n) {
      return new View(
          n.getMetadata().getLabels(),
          n.getSpec() == null ? null : n.getSpec().getTaints(),
          n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable()),
          n.getStatus() == null ? null : n.getStatus().getAllocatable(),
          NodeUtils.isReady(n),
          n.getMetadata().getDeletionTimestamp() != null);
    }
  }

  ClusterEvents(ClusterState state) {
    this.state = state;
    state.addListener(this::heard);
  }

  private void heard(Object o) {
    if (o instanceof Pod p) {
      String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
      if (node == null) {
        return;
      }
      // The cache is updated before its listeners hear: a bound pod no longer indexed on its node
      // was deleted.
      if (PodUtils.isTerminal(p) || !indexedOn(node, p)) {
        roomFreed.set(true);
      } else {
        podsBound.set(true);
      }
    } else if (o instanceof PersistentVolume
        || o instanceof PersistentVolumeClaim
        || o instanceof StorageClass) {
      volumesChanged.set(true);
    }
  }

  private boolean indexedOn(String node, Pod p) {
    String uid = p.getMetadata().getUid();
    for (Pod q : state.podsOn(node)) {
      if (Objects.equals(uid, q.getMetadata().getUid())) {
        return true;
      }
    }
    return false;
  }

  /** Whether room was freed on some node since the last call. */
  boolean takeRoomFreed() {
    return roomFreed.getAndSet(false);
  }

  /** Whether some pod was bound since the last call. */
  boolean takePodsBound() {
    return podsBound.getAndSet(false);
  }

  /** Whether a volume, claim or StorageClass changed since the last call. */
  boolean takeVolumesChanged() {
    return volumesChanged.getAndSet(false);
  }

  /** The names of the nodes added, or changed in what the filters read, since the last call. */
  Set<String> changedNodes(List<Node> current) {
    Set<String> changed = new LinkedHashSet<>();
    Map<String, Seen> now = new HashMap<>(current.size() * 2);
    for (Node n : current) {
      String name = n.getMetadata().getName();
      Seen before = nodes.get(name);
      if (before != null && before.node() == n) {
        now.put(name, before);
        continue;
      }
      View view = View.of(n);
      if (before == null || !before.view().equals(view)) {
        changed.add(name);
      }
      now.put(name, new Seen(n, view));
    }
    nodes = now;
    return changed;
  }
}
