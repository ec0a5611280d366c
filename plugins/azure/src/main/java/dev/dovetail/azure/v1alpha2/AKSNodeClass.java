package dev.dovetail.azure.v1alpha2;

import dev.dovetail.azure.v1beta1.AKSNodeClassResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code karpenter.azure.com/v1alpha2 AKSNodeClass}: still served upstream (deprecated, not the
 * storage version), so manifests written for it apply unchanged. Upstream's v1alpha2 schema is the
 * v1beta1 one field for field, so it shares the v1beta1 spec, status and printer columns ({@link
 * AKSNodeClassResource}); the API server converts between the two with the default (None) strategy.
 */
@Group(AKSNodeClassResource.GROUP)
@Version(
    value = AKSNodeClass.VERSION,
    storage = false,
    deprecated = true,
    deprecationWarning = "use v1beta1.AKSNodeClass instead")
@Singular("aksnodeclass")
@Plural("aksnodeclasses")
@ShortNames({"aksnc", "aksncs"})
@Categories({"karpenter", "nap"})
public class AKSNodeClass extends AKSNodeClassResource {
  public static final String VERSION = "v1alpha2";
}
