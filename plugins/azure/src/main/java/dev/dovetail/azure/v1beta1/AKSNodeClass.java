package dev.dovetail.azure.v1beta1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code karpenter.azure.com/v1beta1 AKSNodeClass}: Azure-specific settings of the nodes a NodePool
 * launches, with the Azure provider's field names so its manifests apply unchanged.
 */
@Group(AKSNodeClass.GROUP)
@Version(AKSNodeClass.VERSION)
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
  public static final String VERSION = "v1beta1";
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
