package dev.dovetail.azure;

import dev.dovetail.azure.v1beta1.AKSNodeClass;
import dev.dovetail.cloudprovider.ModelOnlyCloudProvider;
import dev.dovetail.cloudprovider.NodeClassKind;
import org.pf4j.Extension;

/**
 * The Azure provider as it ships in this version: only the {@link AKSNodeClass} model, so that
 * {@code dovetail validate} checks AKSNodeClass manifests. It cannot launch machines; every machine
 * operation fails as "not yet functional", and the core refuses to run with it.
 */
@Extension
public class AzureCloudProvider extends ModelOnlyCloudProvider {
  public AzureCloudProvider() {
    super(
        "azure",
        new NodeClassKind(
            AKSNodeClass.GROUP, AKSNodeClass.VERSION, AKSNodeClass.KIND, AKSNodeClass.class));
  }
}
