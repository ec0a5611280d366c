package dev.dovetail.azure;

import dev.dovetail.azure.v1beta1.AKSNodeClass;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest;

/** The plugin-api conformance kit, with the real Azure SDK clients against the WireMock fake. */
class AzureConformanceWireMockTest extends CloudProviderConformanceTest {
  private final AKSNodeClass nodeClass = AzureFixtures.nodeClass();

  @Override
  protected CloudProvider startProvider() {
    return AzureFixtures.provider(AzureFixtures.resetAzure(), d -> {});
  }

  @Override
  protected Object nodeClass() {
    return nodeClass;
  }

  @Override
  protected String unknownProviderId() {
    return "azure:///subscriptions/"
        + FakeAzure.SUB
        + "/resourceGroups/"
        + FakeAzure.RG
        + "/providers/Microsoft.Compute/virtualMachines/aks-nobody";
  }

  @Override
  protected boolean forceInsufficientCapacity(OfferingKey offering) {
    AzureFixtures.AZURE.fault(offering);
    return true;
  }
}
