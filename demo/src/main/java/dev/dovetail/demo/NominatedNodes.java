package dev.dovetail.demo;

import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Pod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the stand-in scheduler reads a pod's nomination, and says when it binds it elsewhere. */
final class NominatedNodes {
  private static final Logger LOG = LoggerFactory.getLogger(Binder.class);
  private final ClusterState state;

  NominatedNodes(ClusterState state) {
    this.state = state;
  }

  /**
   * The node a pod is nominated to: {@code status.nominatedNodeName} when set (kube-scheduler's own
   * nominations, and external ones as KEP-5278 allows), else Dovetail's nomination, which upstream
   * Karpenter only announces in a {@code Nominated} event: the stand-in reads it from the shared
   * cluster state instead. A nomination to a NodeClaim means the node it registered as.
   */
  String node(Pod pod) {
    String nnn = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
    if (nnn != null && !nnn.isEmpty()) {
      return nnn;
    }
    String target = state.nomination(pod).map(ClusterState.Nomination::target).orElse(null);
    if (target == null || state.node(target).isPresent()) {
      return target;
    }
    // By providerID too: the Node exists as soon as it registers, while the claim's status.nodeName
    // is written by the lifecycle controller a moment later. Unmapped in between, the claim's pods
    // were placed as if not nominated and could take the room of another claim's pods.
    return state
        .nodeClaim(target)
        .map(c -> c.getStatus() == null ? null : c.getStatus())
        .map(
            s ->
                s.getNodeName() != null
                    ? s.getNodeName()
                    : state
                        .nodeByProviderId(s.getProviderID())
                        .map(n -> n.getMetadata().getName())
                        .orElse(null))
        .orElse(null);
  }

  /**
   * Says why a pod goes elsewhere than its nomination: the one place where a plan is not followed,
   * so the demo's {@code boundAsNominated} shortfall can be explained pod by pod.
   */
  void logIfElsewhere(Pod pod, String nodeName) {
    String nominated = node(pod);
    if (nominated == null || nominated.equals(nodeName)) {
      return;
    }
    String target = state.nomination(pod).map(ClusterState.Nomination::target).orElse(nominated);
    String why;
    if (state.node(nominated).isPresent()) {
      why =
          dev.dovetail.state.NodeUtils.isReady(state.node(nominated).get())
              ? "its node is Ready but the pod no longer fits there"
              : "its node is not Ready";
    } else if (state.nodeClaim(target).isPresent()) {
      why = "its NodeClaim has no Node yet";
    } else {
      why = "its target is gone";
    }
    LOG.info(
        "binding {} to {} although nominated to {}: {}",
        ClusterState.podKey(pod),
        nodeName,
        target.equals(nominated) ? target : target + " (node " + nominated + ")",
        why);
  }
}
