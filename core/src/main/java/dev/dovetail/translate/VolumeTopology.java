package dev.dovetail.translate;

import dev.dovetail.cloudprovider.Requirements;

/**
 * Resolves the node requirements a pod's PersistentVolumeClaim implies: a bound PV's node affinity
 * (its zone), or for an unbound claim its StorageClass's allowedTopologies. Callers supply the
 * lookup (informer caches in the controller, fixed maps in tests).
 */
@FunctionalInterface
public interface VolumeTopology {
  VolumeTopology NONE = (namespace, claimName) -> Requirements.none();

  /** The requirements for claim {@code namespace/claimName}; none when unknown or unconstrained. */
  Requirements requirementsFor(String namespace, String claimName);
}
