package dev.dovetail.aws.autoscaling;

import dev.dovetail.cloudprovider.CloudProviderException;
import dev.dovetail.cloudprovider.NodeGroupScaler.NodeGroupNotFoundException;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;

/**
 * ScalableNodeGroup type {@code AWSEC2AutoScalingGroup}: an EC2 Auto Scaling group by name or ARN.
 * Replicas are its healthy InService instances (as v0.1 counted them); the size is set through
 * {@code UpdateAutoScalingGroup DesiredCapacity}.
 */
public final class AutoScalingGroups {
  public static final String TYPE = "AWSEC2AutoScalingGroup";

  private final AutoScalingClient client;

  public AutoScalingGroups(AutoScalingClient client) {
    this.client = client;
  }

  /**
   * The group name from {@code arn:aws:autoscaling:REGION:ACCOUNT:autoScalingGroup:UUID:
   * autoScalingGroupName/NAME}; anything not an ARN is taken as the name.
   */
  public static String name(String id) {
    if (!id.startsWith("arn:")) {
      return id;
    }
    String[] arn = id.split(":", 6);
    String[] resource = arn.length == 6 ? arn[5].split(":") : new String[0];
    if (resource.length < 3 || !resource[0].equals("autoScalingGroup")) {
      throw new NodeGroupNotFoundException(id + " is not an autoScalingGroup ARN");
    }
    String[] name = resource[2].split("/", 2);
    if (name.length != 2 || !name[0].equals("autoScalingGroupName") || name[1].isEmpty()) {
      throw new NodeGroupNotFoundException(id + " does not contain autoScalingGroupName");
    }
    return name[1];
  }

  public int replicas(String id) {
    return inService(describe(name(id)));
  }

  public void setReplicas(String id, int replicas) {
    String name = name(id);
    describe(name); // a missing group is a NodeGroupNotFoundException, not a generic failure
    try {
      client.updateAutoScalingGroup(r -> r.autoScalingGroupName(name).desiredCapacity(replicas));
    } catch (SdkException e) {
      throw new CloudProviderException(
          "setting desired capacity of Auto Scaling group "
              + name
              + " to "
              + replicas
              + ": "
              + e.getMessage(),
          e);
    }
  }

  AutoScalingGroup describe(String name) {
    List<AutoScalingGroup> groups;
    try {
      groups =
          client.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups();
    } catch (SdkException e) {
      throw new CloudProviderException(
          "describing Auto Scaling group " + name + ": " + e.getMessage(), e);
    }
    if (groups.isEmpty()) {
      throw new NodeGroupNotFoundException("Auto Scaling group " + name + " not found");
    }
    return groups.get(0);
  }

  static int inService(AutoScalingGroup group) {
    int ready = 0;
    for (var instance : group.instances()) {
      if ("Healthy".equals(instance.healthStatus())
          && instance.lifecycleState() == LifecycleState.IN_SERVICE) {
        ready++;
      }
    }
    return ready;
  }
}
