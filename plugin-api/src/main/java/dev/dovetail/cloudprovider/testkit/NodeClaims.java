package dev.dovetail.cloudprovider.testkit;

import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassRef;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.List;
import java.util.Map;

/** NodeClaims as the core hands them to a provider, for plugins' tests. */
public final class NodeClaims {
  /** The NodePool the claims belong to. */
  public static final String POOL = "default";

  private NodeClaims() {}

  /**
   * A NodeClaim of NodePool {@link #POOL} (and labelled with it), without taints, not launched yet.
   */
  public static NodeClaimView pending(
      String name,
      Requirements requirements,
      Resources requests,
      NodeClassRef nodeClassRef,
      Object nodeClass) {
    return new NodeClaimView(
        name,
        POOL,
        Map.of(WellKnownLabels.NODE_POOL, POOL),
        Map.of(),
        List.of(),
        List.of(),
        requirements,
        requests,
        nodeClassRef,
        nodeClass,
        null,
        null);
  }

  /** The same claim once launched: the providerID (and image, when known) the core recorded. */
  public static NodeClaimView launched(NodeClaimView c, String providerId, String imageId) {
    return new NodeClaimView(
        c.name(),
        c.nodePool(),
        c.labels(),
        c.annotations(),
        c.taints(),
        c.startupTaints(),
        c.requirements(),
        c.requests(),
        c.nodeClassRef(),
        c.nodeClass(),
        providerId,
        imageId);
  }
}
