package dev.dovetail.azure.v1alpha2;

import dev.dovetail.azure.v1beta1.AKSNodeClassSpec;
import dev.dovetail.azure.v1beta1.AKSNodeClassStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code karpenter.azure.com/v1alpha2 AKSNodeClass}: still served upstream (deprecated, not the
 * storage version), so manifests written for it apply unchanged. Upstream's v1alpha2 schema is the
 * v1beta1 one field for field, so it reuses the v1beta1 spec and status; the API server converts
 * between the two with the default (None) strategy.
 */
@Group(AKSNodeClass.GROUP)
@Version(
    value = AKSNodeClass.VERSION,
    storage = false,
    deprecated = true,
    deprecationWarning = "use v1beta1.AKSNodeClass instead")
@Singular("aksnodeclass")
@Plural("aksnodeclasses")
@ShortNames({"aksnc", "aksncs"})
@Categories({"karpenter", "nap"})
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
public class AKSNodeClass extends CustomResource<AKSNodeClassSpec, AKSNodeClassStatus> {
  public static final String GROUP = "karpenter.azure.com";
  public static final String VERSION = "v1alpha2";
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
