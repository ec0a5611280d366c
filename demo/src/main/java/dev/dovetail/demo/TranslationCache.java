package dev.dovetail.demo;

import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.SchedulingPod;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The stand-in scheduler's translations of pods and nodes kept from one cycle to the next, as
 * kube-scheduler keeps its NodeInfo snapshot: every cycle used to translate every pending pod and
 * every pod bound to a Ready node again. Keyed by the object's identity: an informer replaces an
 * object when it changes and never mutates it, so the same instance has the same translation, and a
 * node's translation holds while it and the instances of its pods are the same.
 *
 * <p>Two generations: an entry not used since the previous {@link #sweep} is dropped at the next,
 * so pods and nodes that are gone do not stay. Not thread-safe: the binder's round thread only.
 */
final class TranslationCache {
  private record PodEntry(Pod pod, SchedulingPod translated) {}

  private record NodeEntry(Node node, List<Pod> on, ExistingNode translated) {}

  private Map<String, PodEntry> pods = new HashMap<>();
  private Map<String, PodEntry> oldPods = new HashMap<>();
  private Map<String, NodeEntry> nodes = new HashMap<>();
  private Map<String, NodeEntry> oldNodes = new HashMap<>();

  /** {@code translate(pod)}, or the translation of this very instance made before. */
  SchedulingPod pod(Pod pod, Function<Pod, SchedulingPod> translate) {
    String uid = pod.getMetadata().getUid();
    if (uid == null) { // a pod that never went through an API server (not the binder's)
      uid = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
    PodEntry e = pods.get(uid);
    if (e == null) {
      e = oldPods.remove(uid);
    }
    if (e == null || e.pod() != pod) {
      e = new PodEntry(pod, translate.apply(pod));
    }
    pods.put(uid, e);
    return e.translated();
  }

  /** {@code translate(node, on)}, or the one made before for this node instance and these pods. */
  ExistingNode node(Node node, List<Pod> on, BiFunction<Node, List<Pod>, ExistingNode> translate) {
    String name = node.getMetadata().getName();
    NodeEntry e = nodes.get(name);
    if (e == null) {
      e = oldNodes.remove(name);
    }
    if (e == null || e.node() != node || !sameInstances(e.on(), on)) {
      e = new NodeEntry(node, on, translate.apply(node, on));
    }
    nodes.put(name, e);
    return e.translated();
  }

  private static boolean sameInstances(List<Pod> a, List<Pod> b) {
    if (a.size() != b.size()) {
      return false;
    }
    // The index lists a node's pods in no set order: compare as sets of instances. Nodes hold a
    // handful to a hundred pods, so the quadratic walk stays cheap and allocates nothing.
    outer:
    for (Pod p : a) {
      for (Pod q : b) {
        if (p == q) {
          continue outer;
        }
      }
      return false;
    }
    return true;
  }

  /** Drops what was not used since the previous sweep. */
  void sweep() {
    oldPods = pods;
    pods = new HashMap<>();
    oldNodes = nodes;
    nodes = new HashMap<>();
  }

  /** Drops everything: translations that read other objects (volumes) may be stale. */
  void clear() {
    pods.clear();
    oldPods.clear();
    nodes.clear();
    oldNodes.clear();
  }
}
