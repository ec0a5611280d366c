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
 * {@code autoscaling.karpenter.sh/v1alpha1 HorizontalAutoscaler}: the HorizontalPodAutoscaler's
 * algorithm and behavior applied to Prometheus queries and to any object with a {@code scale}
 * subresource (Deployments, StatefulSets, Cluster API MachineDeployments, ScalableNodeGroups).
 */
@Group(Autoscaling.GROUP)
@Version(Autoscaling.VERSION)
@Singular("horizontalautoscaler")
@Plural("horizontalautoscalers")
@Categories("karpenter")
@AdditionalPrinterColumn(
    name = "Target",
    jsonPath = ".spec.scaleTargetRef.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Current",
    jsonPath = ".status.currentReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".status.desiredReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class HorizontalAutoscaler
    extends CustomResource<HorizontalAutoscalerSpec, HorizontalAutoscalerStatus>
    implements Namespaced {

  @Override
  protected HorizontalAutoscalerSpec initSpec() {
    return new HorizontalAutoscalerSpec();
  }

  @Override
  protected HorizontalAutoscalerStatus initStatus() {
    return new HorizontalAutoscalerStatus();
  }
}
