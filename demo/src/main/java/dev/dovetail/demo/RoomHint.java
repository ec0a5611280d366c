package dev.dovetail.demo;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.Toleration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a pod could fit one of some nodes as they are now, by the cheap filters alone: free room
 * for its requests (on the resources the node lists), its nodeSelector, and the node's NoSchedule
 * and NoExecute taints, kube-scheduler's queueing hints for NodeResourcesFit, NodeAffinity and
 * TaintToleration. Never "no" for a pod the full filters would place, so a pod it rejects can be
 * left waiting without the engine: a node added to 20,000 waiting pods takes a handful, and
 * deciding them all for it cost the stand-in most of each round.
 *
 * <p>Pods that ask the same (requests, selector, tolerations) get the same answer, so the answer is
 * kept per such shape: a workload has a few shapes and many pods of each.
 */
final class RoomHint {
  private record Shape(Resources requests, Map<String, String> selector, List<Toleration> tol) {}

  private final List<ExistingNode> nodes;
  private final Map<Shape, Boolean> answers = new HashMap<>();

  RoomHint(List<ExistingNode> nodes) {
    this.nodes = nodes;
  }

  boolean couldFit(SchedulingPod pod) {
    Shape shape = new Shape(pod.requests(), pod.nodeSelector(), pod.tolerations());
    return answers.computeIfAbsent(shape, this::anyNode);
  }

  private boolean anyNode(Shape shape) {
    for (ExistingNode n : nodes) {
      if (fits(shape, n)) {
        return true;
      }
    }
    return false;
  }

  private static boolean fits(Shape shape, ExistingNode node) {
    if (node.markedForDeletion()) {
      return false;
    }
    Resources free = node.allocatable();
    for (Map.Entry<String, Long> r :
        shape.requests().add(Resources.of(Resources.PODS, 1L)).asMap().entrySet()) {
      // Only what the node lists: the hint must not refuse what the engine would decide otherwise.
      if (r.getValue() > 0
          && free.has(r.getKey())
          && node.requested().get(r.getKey()) + r.getValue() > free.get(r.getKey())) {
        return false;
      }
    }
    for (Map.Entry<String, String> s : shape.selector().entrySet()) {
      if (!s.getValue().equals(node.labels().get(s.getKey()))) {
        return false;
      }
    }
    for (Taint t : node.taints()) {
      if (("NoSchedule".equals(t.effect()) || "NoExecute".equals(t.effect()))
          && shape.tol().stream().noneMatch(tol -> tol.tolerates(t))) {
        return false;
      }
    }
    return true;
  }
}
