package dev.dovetail.apis.autoscaling.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code autoscaling.karpenter.sh/v1alpha1 ScalableNodeGroup}: a cloud node group (an EC2 Auto
 * Scaling group, an EKS managed node group, a Cluster API MachineDeployment) whose size follows
 * {@code spec.replicas}. Has a {@code scale} subresource so a HorizontalAutoscaler can drive it.
 */
@Group(Autoscaling.GROUP)
@Version(Autoscaling.VERSION)
@Singular("scalablenodegroup")
@Plural("scalablenodegroups")
@Categories("karpenter")
@AdditionalPrinterColumn(
    name = "Type",
    jsonPath = ".spec.type",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".spec.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Actual",
    jsonPath = ".status.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
public class ScalableNodeGroup
    extends CustomResource<ScalableNodeGroupSpec, ScalableNodeGroupStatus> implements Namespaced {

  @Override
  protected ScalableNodeGroupSpec initSpec() {
    return new ScalableNodeGroupSpec();
  }

  @Override
  protected ScalableNodeGroupStatus initStatus() {
    return new ScalableNodeGroupStatus();
  }
}
