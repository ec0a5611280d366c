package dev.dovetail.demo;

import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which wanted pods are lost once the cluster has settled. A pod of a controller (ReplicaSet, so a
 * Deployment's, StatefulSet, Job, ReplicationController) is lost when its controller has fewer
 * running pods than it wants: a replacement under another name counts, since a controller's pods
 * are interchangeable. A naked pod (no controller) is lost when it is not running any more, as
 * nothing would recreate it after an eviction. Pods of DaemonSets and static pods are not counted:
 * they come and go with their nodes. Running means bound to a node that exists, not being deleted
 * and not finished (a Job's pod that succeeded counts as done).
 */
final class LostPods {
  /** Owner kinds that keep a number of replicas alive. */
  static final Set<String> CONTROLLERS =
      Set.of("ReplicaSet", "StatefulSet", "Job", "ReplicationController", "Deployment");

  private LostPods() {}

  /**
   * A lost pod.
   *
   * @param pod the wanted pod's {@code namespace/name}
   * @param controller its controller as {@code Kind/name}, or null for a naked pod
   * @param reason why it has no running replacement, from what the cluster shows
   */
  record Lost(String pod, String controller, String reason) {
    @Override
    public String toString() {
      return pod + (controller == null ? " (naked pod)" : " (" + controller + ")") + ": " + reason;
    }
  }

  /**
   * The lost pods.
   *
   * @param wanted the pods that should be running (their specs, with owner references)
   * @param current the pods the cluster holds now
   * @param nodes the names of the nodes that exist now
   */
  static List<Lost> of(Collection<Pod> wanted, Collection<Pod> current, Set<String> nodes) {
    Map<String, Pod> currentById = new HashMap<>();
    Map<String, Integer> runningByController = new HashMap<>();
    Set<String> runningIds = new HashSet<>();
    for (Pod p : current) {
      currentById.put(id(p), p);
      if (running(p, nodes) || completedJobPod(p)) {
        runningIds.add(id(p));
        String c = controller(p);
        if (c != null) {
          runningByController.merge(c, 1, Integer::sum);
        }
      }
    }
    Map<String, List<Pod>> wantedByController = new LinkedHashMap<>();
    List<Lost> lost = new ArrayList<>();
    for (Pod w : wanted) {
      OwnerReference owner = controllerRef(w);
      if (owner == null) {
        if (!runningIds.contains(id(w))) {
          lost.add(
              new Lost(
                  id(w),
                  null,
                  why(currentById.get(id(w)), nodes, "nothing recreates a naked pod")));
        }
      } else if (CONTROLLERS.contains(owner.getKind())) {
        wantedByController.computeIfAbsent(controller(w), k -> new ArrayList<>()).add(w);
      }
    }
    wantedByController.forEach(
        (controller, pods) -> {
          int missing = pods.size() - runningByController.getOrDefault(controller, 0);
          // Name the wanted pods that are not running themselves: those are the ones whose
          // replacement did not come up.
          for (Pod w : pods) {
            if (missing <= 0) {
              break;
            }
            if (!runningIds.contains(id(w))) {
              lost.add(
                  new Lost(
                      id(w),
                      controller,
                      why(currentById.get(id(w)), nodes, "not recreated by " + controller)));
              missing--;
            }
          }
        });
    return lost;
  }

  /** A Job's pod that succeeded did what it was for: the Job does not want it back. */
  private static boolean completedJobPod(Pod p) {
    OwnerReference r = controllerRef(p);
    return r != null
        && "Job".equals(r.getKind())
        && p.getStatus() != null
        && "Succeeded".equals(p.getStatus().getPhase());
  }

  static boolean running(Pod p, Set<String> nodes) {
    return PodUtils.isBound(p)
        && nodes.contains(p.getSpec().getNodeName())
        && !PodUtils.isTerminating(p)
        && !PodUtils.isTerminal(p);
  }

  /** What the cluster shows of a wanted pod that is not running. */
  private static String why(Pod now, Set<String> nodes, String whenAbsent) {
    if (now == null) {
      return "deleted (evicted or its node removed) and " + whenAbsent;
    }
    if (PodUtils.isTerminating(now)) {
      return "being deleted";
    }
    if (PodUtils.isTerminal(now)) {
      return "finished with phase " + now.getStatus().getPhase();
    }
    if (PodUtils.isBound(now) && !nodes.contains(now.getSpec().getNodeName())) {
      return "bound to node " + now.getSpec().getNodeName() + ", which no longer exists";
    }
    String scheduled = scheduledMessage(now);
    return "pending" + (scheduled == null ? "" : ": " + scheduled);
  }

  private static String scheduledMessage(Pod p) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) {
      return null;
    }
    for (PodCondition c : p.getStatus().getConditions()) {
      if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
        return c.getReason() + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
      }
    }
    return null;
  }

  private static OwnerReference controllerRef(Pod p) {
    if (p.getMetadata().getOwnerReferences() == null) {
      return null;
    }
    for (OwnerReference r : p.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(r.getController())) {
        return r;
      }
    }
    return null;
  }

  /** {@code Kind/namespace/name} of the pod's replica-keeping controller, or null. */
  private static String controller(Pod p) {
    OwnerReference r = controllerRef(p);
    if (r == null || !CONTROLLERS.contains(r.getKind())) {
      return null;
    }
    return r.getKind() + "/" + p.getMetadata().getNamespace() + "/" + r.getName();
  }

  private static String id(Pod p) {
    return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }
}
