package dev.dovetail.gcp;

import dev.dovetail.cloudprovider.testkit.ModelOnlyProviderContractTest;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;

/** The plugin says plainly that it is not functional, and only ships its NodeClass model. */
class GcpCloudProviderTest extends ModelOnlyProviderContractTest {
  GcpCloudProviderTest() {
    super(
        new GcpCloudProvider(),
        "gcp",
        "karpenter.k8s.gcp/v1alpha1",
        "GCENodeClass",
        GCENodeClass.class);
  }
}
