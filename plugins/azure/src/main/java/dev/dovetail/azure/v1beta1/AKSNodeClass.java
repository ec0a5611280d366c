package dev.dovetail.azure.v1beta1;

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
@Group(AKSNodeClassResource.GROUP)
@Version(AKSNodeClass.VERSION)
@Singular("aksnodeclass")
@Plural("aksnodeclasses")
@ShortNames({"aksnc", "aksncs"})
@Categories({"karpenter", "nap"})
public class AKSNodeClass extends AKSNodeClassResource {
  public static final String VERSION = "v1beta1";
}
