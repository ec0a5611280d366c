package dev.dovetail.gcp.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code karpenter.k8s.gcp/v1alpha1 GCENodeClass}: GCE settings of the nodes a NodePool launches,
 * following the field names of the community GCP provider (cloudpilot-ai/karpenter-provider-gcp).
 */
@Group(GCENodeClass.GROUP)
@Version(GCENodeClass.VERSION)
@Singular("gcenodeclass")
@Plural("gcenodeclasses")
@ShortNames({"gcenc", "gcencs"})
@Categories("karpenter")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class GCENodeClass extends CustomResource<GCENodeClassSpec, GCENodeClassStatus> {
  public static final String GROUP = "karpenter.k8s.gcp";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "GCENodeClass";

  @Override
  protected GCENodeClassSpec initSpec() {
    return new GCENodeClassSpec();
  }

  @Override
  protected GCENodeClassStatus initStatus() {
    return new GCENodeClassStatus();
  }
}
