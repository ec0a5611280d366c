package dev.dovetail.cloudprovider;

import java.util.Set;

/**
 * Optional extension of a {@link CloudProvider}: node groups the cloud sizes itself (an EC2 Auto
 * Scaling group, an EKS managed node group, a Cluster API MachineDeployment), for Karpenter v0.1's
 * {@code ScalableNodeGroup}. The core finds it with {@code instanceof} on the loaded provider; a
 * provider without it, or without the requested type, makes the ScalableNodeGroup fail with a
 * status condition naming the types it does support.
 *
 * <p>Failures are thrown, never read as "0 replicas": {@link NodeGroupNotFoundException} when the
 * group does not exist (the id is wrong), {@link CloudProviderException} for anything to retry.
 */
public interface NodeGroupScaler {

  /** The {@code ScalableNodeGroup.spec.type} values this provider handles, e.g. AWSEKSNodeGroup. */
  Set<String> supportedNodeGroupTypes();

  /** The group's current desired size as the cloud reports it. */
  int replicas(String type, String id);

  /** Sets the group's desired size; returns normally once the cloud accepted it. */
  void setReplicas(String type, String id, int replicas);

  /** The node group named by a ScalableNodeGroup does not exist. */
  final class NodeGroupNotFoundException extends CloudProviderException {
    public NodeGroupNotFoundException(String message) {
      super(message);
    }

    public NodeGroupNotFoundException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
