package dev.dovetail.controllers.disruption;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.state.ClusterState;
import dev.dovetail.translate.Selectors;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The safety rules of voluntary disruption (upstream's candidate filtering): what blocks a node
 * whatever the method. Asked when the model is built and again just before a command's pods are
 * evicted.
 */
final class DisruptionSafety {
  private final boolean allowUncontrolledPods;

  /**
   * @param allowUncontrolledPods whether nodes with pods no controller owns may be disrupted
   */
  DisruptionSafety(boolean allowUncontrolledPods) {
    this.allowUncontrolledPods = allowUncontrolledPods;
  }

  /**
   * Why the node may not be disrupted voluntarily, whatever else is going on: do-not-disrupt on the
   * node, its NodeClaim or a pod, a pod no controller owns, a PDB that allows no more disruptions.
   * Null when nothing blocks. (Also asked just before a command's candidates are deleted.)
   */
  String block(Node node, NodeClaim claim, List<Pod> movingPods, List<PodDisruptionBudget> pdbs) {
    if ("true"
            .equals(
                ModelBuilder.annotations(node.getMetadata())
                    .get(Karpenter.DO_NOT_DISRUPT_ANNOTATION))
        || "true"
            .equals(
                ModelBuilder.annotations(claim.getMetadata())
                    .get(Karpenter.DO_NOT_DISRUPT_ANNOTATION))) {
      return "node has " + Karpenter.DO_NOT_DISRUPT_ANNOTATION;
    }
    return podBlock(movingPods, pdbs);
  }

  private String podBlock(List<Pod> pods, List<PodDisruptionBudget> pdbs) {
    Map<String, Integer> wanted = new HashMap<>();
    for (Pod p : pods) {
      String id = ClusterState.podKey(p);
      if ("true"
          .equals(
              ModelBuilder.annotations(p.getMetadata()).get(Karpenter.DO_NOT_DISRUPT_ANNOTATION))) {
        return "pod " + id + " has " + Karpenter.DO_NOT_DISRUPT_ANNOTATION;
      }
      if (!allowUncontrolledPods && !controlled(p)) {
        return "pod " + id + " is not owned by a controller";
      }
      for (PodDisruptionBudget pdb : pdbs) {
        if (!pdb.getMetadata().getNamespace().equals(p.getMetadata().getNamespace())) {
          continue;
        }
        if (Selectors.matches(
            pdb.getSpec() == null ? null : pdb.getSpec().getSelector(),
            p.getMetadata().getLabels())) {
          String key = pdb.getMetadata().getNamespace() + "/" + pdb.getMetadata().getName();
          int allowed =
              pdb.getStatus() == null || pdb.getStatus().getDisruptionsAllowed() == null
                  ? 0
                  : pdb.getStatus().getDisruptionsAllowed();
          int n = wanted.merge(key, 1, Integer::sum);
          if (n > allowed) {
            return "PDB " + key + " would be violated (disruptionsAllowed=" + allowed + ")";
          }
        }
      }
    }
    return null;
  }

  private static boolean controlled(Pod p) {
    List<OwnerReference> refs = p.getMetadata().getOwnerReferences();
    if (refs == null) {
      return false;
    }
    for (OwnerReference r : refs) {
      if (Boolean.TRUE.equals(r.getController())) {
        return true;
      }
    }
    return false;
  }
}
