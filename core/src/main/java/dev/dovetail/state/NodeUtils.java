package dev.dovetail.state;

import dev.dovetail.apis.v1.Karpenter;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;

/** Node predicates. */
public final class NodeUtils {
  private NodeUtils() {}

  /** The kubelet reports the node Ready=True. */
  public static boolean isReady(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /**
   * The node carries {@code karpenter.sh/disrupted:NoSchedule}: a disruption command or the
   * termination controller is taking it away, or one left it so.
   */
  public static boolean hasDisruptedTaint(Node node) {
    return node.getSpec() != null
        && node.getSpec().getTaints() != null
        && node.getSpec().getTaints().stream()
            .anyMatch(t -> Karpenter.DISRUPTED_TAINT_KEY.equals(t.getKey()));
  }
}
