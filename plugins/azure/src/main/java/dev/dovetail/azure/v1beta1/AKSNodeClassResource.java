package dev.dovetail.azure.v1beta1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * What both served versions of {@code AKSNodeClass} share: the spec and status types (upstream's
 * v1alpha2 schema is v1beta1's field for field), the printer columns (the CRD generator collects
 * them up the class hierarchy) and the names. Each version's class adds only its {@code @Version}
 * and the resource-name annotations, which fabric8 reads from the concrete class alone.
 */
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type=='Ready')].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "ImageFamily",
    jsonPath = ".spec.imageFamily",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public abstract class AKSNodeClassResource
    extends CustomResource<AKSNodeClassSpec, AKSNodeClassStatus> {
  public static final String GROUP = "karpenter.azure.com";
  public static final String KIND = "AKSNodeClass";

  @Override
  protected AKSNodeClassSpec initSpec() {
    return new AKSNodeClassSpec();
  }

  @Override
  protected AKSNodeClassStatus initStatus() {
    return new AKSNodeClassStatus();
  }
}
