package dev.dovetail.azure.nodeclass;

import dev.dovetail.azure.v1beta1.AKSNodeClassResource;
import dev.dovetail.azure.v1beta1.AKSNodeClassSpec;

/** The spec of an AKSNodeClass of either served version (v1alpha2 shares v1beta1's spec). */
public final class NodeClassSpecs {
  private NodeClassSpecs() {}

  /** The spec, or null when the object is not an AKSNodeClass (the NodeClaim names no class). */
  public static AKSNodeClassSpec of(Object nodeClass) {
    return nodeClass instanceof AKSNodeClassResource nc ? nc.getSpec() : null;
  }
}
