package dev.dovetail.state;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

/** Pod predicates with Karpenter's meaning ({@code pkg/utils/pod/scheduling.go}). */
public final class PodUtils {
  private PodUtils() {}

  public static boolean isProvisionable(Pod pod) {
    return !isBound(pod)
        && !isTerminating(pod)
        && !isTerminal(pod)
        && isUnschedulable(pod)
        && !isOwnedBy(pod, "DaemonSet")
        && !isOwnedBy(pod, "Node");
  }

  public static boolean isBound(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getNodeName() != null;
  }

  public static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  public static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** PodScheduled=False with reason Unschedulable: the scheduler found no node for it. */
  public static boolean isUnschedulable(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("PodScheduled".equals(c.getType())
          && "False".equals(c.getStatus())
          && "Unschedulable".equals(c.getReason())) {
        return true;
      }
    }
    return false;
  }

  public static boolean isOwnedBy(Pod pod, String kind) {
    if (pod.getMetadata().getOwnerReferences() == null) {
      return false;
    }
    for (OwnerReference ref : pod.getMetadata().getOwnerReferences()) {
      if (kind.equals(ref.getKind())) {
        return true;
      }
    }
    return false;
  }
}
