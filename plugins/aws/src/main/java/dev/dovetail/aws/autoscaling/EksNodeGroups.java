package dev.dovetail.aws.autoscaling;

import dev.dovetail.cloudprovider.CloudProviderException;
import dev.dovetail.cloudprovider.NodeGroupScaler.NodeGroupNotFoundException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

/**
 * ScalableNodeGroup type {@code AWSEKSNodeGroup}: an EKS managed node group by ARN ({@code
 * arn:aws:eks:REGION:ACCOUNT:nodegroup/CLUSTER/NODEGROUP/UUID}) or {@code CLUSTER/NODEGROUP}.
 * Replicas are the healthy InService instances of the node group's Auto Scaling groups; the size is
 * set with {@code UpdateNodegroupConfig scalingConfig.desiredSize}.
 */
public final class EksNodeGroups {
  public static final String TYPE = "AWSEKSNodeGroup";

  private final EksClient eks;
  private final AutoScalingGroups autoScalingGroups;

  public EksNodeGroups(EksClient eks, AutoScalingGroups autoScalingGroups) {
    this.eks = eks;
    this.autoScalingGroups = autoScalingGroups;
  }

  /** Cluster and node group names. */
  public record Id(String cluster, String nodegroup) {
    public static Id parse(String id) {
      String resource = id;
      if (id.startsWith("arn:")) {
        String[] arn = id.split(":", 6);
        if (arn.length < 6) {
          throw new NodeGroupNotFoundException("invalid managed node group id " + id);
        }
        resource = arn[5];
        // "nodegroup/CLUSTER/NAME/UUID"; a published v0.1 example writes "nodegroup:CLUSTER/..."
        if (!resource.startsWith("nodegroup/") && !resource.startsWith("nodegroup:")) {
          throw new NodeGroupNotFoundException("invalid managed node group id " + id);
        }
        resource = resource.substring("nodegroup/".length());
      }
      String[] parts = resource.split("/");
      if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
        throw new NodeGroupNotFoundException(
            "invalid managed node group id " + id + " (want a nodegroup ARN or CLUSTER/NODEGROUP)");
      }
      return new Id(parts[0], parts[1]);
    }
  }

  public int replicas(String id) {
    Nodegroup group = describe(Id.parse(id));
    int ready = 0;
    if (group.resources() != null) {
      for (var asg : group.resources().autoScalingGroups()) {
        ready += AutoScalingGroups.inService(autoScalingGroups.describe(asg.name()));
      }
    }
    return ready;
  }

  public void setReplicas(String id, int replicas) {
    Id n = Id.parse(id);
    describe(n);
    try {
      eks.updateNodegroupConfig(
          r ->
              r.clusterName(n.cluster())
                  .nodegroupName(n.nodegroup())
                  .scalingConfig(s -> s.desiredSize(replicas)));
    } catch (SdkException e) {
      throw new CloudProviderException(
          "setting desired size of EKS node group "
              + n.cluster()
              + "/"
              + n.nodegroup()
              + " to "
              + replicas
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private Nodegroup describe(Id n) {
    try {
      return eks.describeNodegroup(r -> r.clusterName(n.cluster()).nodegroupName(n.nodegroup()))
          .nodegroup();
    } catch (ResourceNotFoundException e) {
      throw new NodeGroupNotFoundException(
          "EKS node group " + n.cluster() + "/" + n.nodegroup() + " not found", e);
    } catch (SdkException e) {
      throw new CloudProviderException(
          "describing EKS node group " + n.cluster() + "/" + n.nodegroup() + ": " + e.getMessage(),
          e);
    }
  }
}
