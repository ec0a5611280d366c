package dev.dovetail.aws.autoscaling;

import dev.dovetail.cloudprovider.CloudProviderException;
import dev.dovetail.cloudprovider.NodeGroupScaler;
import dev.dovetail.cloudprovider.QueueMetrics;
import java.util.Set;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS plugin's side of Karpenter v0.1's autoscaling kinds: node groups ({@link
 * AutoScalingGroups}, {@link EksNodeGroups}) and SQS queue lengths ({@link SqsQueueLength}).
 */
public final class AwsAutoscaling implements NodeGroupScaler, QueueMetrics {
  private final AutoScalingGroups autoScalingGroups;
  private final EksNodeGroups eksNodeGroups;
  private final SqsQueueLength queues;

  /** Takes the SDK clients it needs, not the plugin's client holder (no package cycle). */
  public AwsAutoscaling(AutoScalingClient autoScaling, EksClient eks, SqsClient sqs) {
    this.autoScalingGroups = new AutoScalingGroups(autoScaling);
    this.eksNodeGroups = new EksNodeGroups(eks, autoScalingGroups);
    this.queues = new SqsQueueLength(sqs);
  }

  @Override
  public Set<String> supportedNodeGroupTypes() {
    return Set.of(AutoScalingGroups.TYPE, EksNodeGroups.TYPE);
  }

  @Override
  public int replicas(String type, String id) {
    return switch (type) {
      case AutoScalingGroups.TYPE -> autoScalingGroups.replicas(id);
      case EksNodeGroups.TYPE -> eksNodeGroups.replicas(id);
      default -> throw unsupported(type);
    };
  }

  @Override
  public void setReplicas(String type, String id, int replicas) {
    switch (type) {
      case AutoScalingGroups.TYPE -> autoScalingGroups.setReplicas(id, replicas);
      case EksNodeGroups.TYPE -> eksNodeGroups.setReplicas(id, replicas);
      default -> throw unsupported(type);
    }
  }

  @Override
  public Set<String> supportedQueueTypes() {
    return Set.of(SqsQueueLength.TYPE);
  }

  @Override
  public long length(String type, String id) {
    if (!SqsQueueLength.TYPE.equals(type)) {
      throw new CloudProviderException(
          "queue type " + type + " is not supported by the aws plugin (supported: AWSSQSQueue)");
    }
    return queues.length(id);
  }

  private static CloudProviderException unsupported(String type) {
    return new CloudProviderException(
        "node group type "
            + type
            + " is not supported by the aws plugin (supported: "
            + AutoScalingGroups.TYPE
            + ", "
            + EksNodeGroups.TYPE
            + ")");
  }
}
