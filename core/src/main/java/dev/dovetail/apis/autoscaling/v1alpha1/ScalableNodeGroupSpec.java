package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** Which node group, and how many nodes it should have. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScalableNodeGroupSpec {
  /** Desired size; absent leaves the group as it is. */
  @SpecReplicas
  @Min(0)
  public Integer replicas;

  /**
   * The kind of node group, one the loaded cloud plugin knows: {@code AWSEC2AutoScalingGroup},
   * {@code AWSEKSNodeGroup} (AWS), {@code ClusterAPIMachineDeployment} (Cluster API).
   */
  @Required
  @Size(min = 1)
  public String type;

  /** The group's identifier for that type (an ARN, a name, namespace/name). */
  @Required
  @Size(min = 1)
  public String id;
}
