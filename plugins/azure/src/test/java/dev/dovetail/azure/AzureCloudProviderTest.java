package dev.dovetail.azure;

import dev.dovetail.azure.v1beta1.AKSNodeClass;
import dev.dovetail.cloudprovider.testkit.ModelOnlyProviderContractTest;

/** The plugin says plainly that it is not functional, and only ships its NodeClass model. */
class AzureCloudProviderTest extends ModelOnlyProviderContractTest {
  AzureCloudProviderTest() {
    super(
        new AzureCloudProvider(),
        "azure",
        "karpenter.azure.com/v1beta1",
        "AKSNodeClass",
        AKSNodeClass.class);
  }
}
