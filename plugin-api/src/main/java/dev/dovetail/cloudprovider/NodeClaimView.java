package dev.dovetail.cloudprovider;

import java.util.List;
import java.util.Map;

/**
 * The provider's view of a NodeClaim: what to launch, and (once launched) what was launched.
 *
 * @param name the NodeClaim name (providers tag instances with it for idempotency and GC)
 * @param nodePool the owning NodePool
 * @param labels labels the node must carry
 * @param annotations NodeClaim annotations (e.g. the NodeClass hash used for drift)
 * @param taints taints the node registers with
 * @param startupTaints taints expected to be removed by a daemon after start
 * @param requirements acceptable instance types, zones, capacity types, architectures, ...
 * @param requests resources the NodeClaim's pods request (plus daemonset overhead)
 * @param nodeClassRef the NodeClass reference
 * @param nodeClass the resolved NodeClass object (the provider's own model class), or null
 * @param providerId the instance, once launched, else null
 * @param imageId the image the instance runs, once launched, else null
 */
public record NodeClaimView(
    String name,
    String nodePool,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<Taint> taints,
    List<Taint> startupTaints,
    Requirements requirements,
    Resources requests,
    NodeClassRef nodeClassRef,
    Object nodeClass,
    String providerId,
    String imageId) {

  public NodeClaimView {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    taints = taints == null ? List.of() : List.copyOf(taints);
    startupTaints = startupTaints == null ? List.of() : List.copyOf(startupTaints);
    requirements = requirements == null ? Requirements.none() : requirements;
    requests = requests == null ? Resources.EMPTY : requests;
  }

  /** This claim with {@code requirements} in place of its own. */
  public NodeClaimView withRequirements(Requirements requirements) {
    return with(requirements, requests);
  }

  /** This claim with {@code requests} in place of its own. */
  public NodeClaimView withRequests(Resources requests) {
    return with(requirements, requests);
  }

  private NodeClaimView with(Requirements requirements, Resources requests) {
    return new NodeClaimView(
        name,
        nodePool,
        labels,
        annotations,
        taints,
        startupTaints,
        requirements,
        requests,
        nodeClassRef,
        nodeClass,
        providerId,
        imageId);
  }

  /** The instance types this claim accepts, in the order given (cheapest first from the core). */
  public List<String> instanceTypeOptions() {
    Requirement r = requirements.get(WellKnownLabels.INSTANCE_TYPE);
    return r == null || r.complement() ? List.of() : r.values();
  }
}
