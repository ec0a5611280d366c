package dev.dovetail.gcp;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;

/** The plugin-api conformance kit, with the real google-cloud-compute clients against WireMock. */
class GcpConformanceWireMockTest extends CloudProviderConformanceTest {
  private final GCENodeClass nodeClass = GceWireMock.nodeClass();

  @Override
  protected CloudProvider startProvider() {
    GceWireMock.reset();
    return GceWireMock.start(InterruptionListener.IGNORE);
  }

  @Override
  protected Object nodeClass() {
    return nodeClass;
  }

  @Override
  protected String unknownProviderId() {
    return "gce://" + FakeGce.PROJECT + "/us-central1-a/no-such-instance";
  }

  @Override
  protected boolean forceInsufficientCapacity(OfferingKey offering) {
    GceWireMock.GCE.stockout(offering);
    return true;
  }
}
