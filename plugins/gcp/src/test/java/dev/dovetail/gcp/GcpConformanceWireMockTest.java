package dev.dovetail.gcp;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.testkit.WireFaultStubs;
import dev.dovetail.cloudprovider.testkit.WireMockConformanceTest;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * The plugin-api conformance kit, with the real google-cloud-compute clients against WireMock.
 *
 * <p>Its chaos pass runs over the wire: stockouts and quota errors on insert, API rate limiting
 * (429), 503s and answers held back past the request timeout on instances insert, get, delete and
 * aggregatedList, plus the kit's own decorator faults. {@code -Dchaos.steps=400} runs longer.
 */
class GcpConformanceWireMockTest extends WireMockConformanceTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final GCENodeClass nodeClass = GceWireMock.nodeClass();
  private int capacityFaults;

  @Override
  protected CloudProvider startProvider() {
    useWireFaults(
        new WireFaultStubs(GceWireMock.reset(), new GceWireFaults(REQUEST_TIMEOUT.plusSeconds(2))));
    Map<String, String> s = GceWireMock.settings();
    // a wire timeout is a fixed delay past this bound on one request
    s.put("requestTimeout", REQUEST_TIMEOUT.toMillis() + "ms");
    return GceWireMock.start(s, InterruptionListener.IGNORE);
  }

  /**
   * Before the class, a provider with the default request timeout loads and warms the client
   * classes: on a loaded machine the first calls alone can outlast {@link #REQUEST_TIMEOUT}, which
   * is meant to bound the wire only.
   */
  @BeforeAll
  static void warmUp() {
    GceWireMock.reset();
    GcpCloudProvider p = GceWireMock.start(InterruptionListener.IGNORE);
    try {
      p.instanceTypes(
          new dev.dovetail.cloudprovider.NodePoolInfo(
              "warm-up", dev.dovetail.cloudprovider.Requirements.none(), Map.of(), null),
          GceWireMock.nodeClass());
      p.list();
    } finally {
      p.close();
    }
  }

  @Override
  protected Object nodeClass() {
    return nodeClass;
  }

  @Override
  protected String unknownProviderId() {
    return "gce://" + FakeGce.PROJECT + "/us-central1-a/no-such-instance";
  }

  /**
   * GCE's capacity answers, in turn: a stockout ({@code ZONE_RESOURCE_POOL_EXHAUSTED} in the insert
   * operation), a quota hit in the operation ({@code QUOTA_EXCEEDED}), and the insert refused with
   * 403 {@code quotaExceeded}.
   */
  @Override
  protected boolean forceInsufficientCapacity(OfferingKey offering) {
    switch (capacityFaults++ % 3) {
      case 0 -> GceWireMock.GCE.stockout(offering);
      case 1 -> GceWireMock.GCE.quotaExceededInOperation(offering);
      default -> GceWireMock.GCE.quotaExceeded(offering);
    }
    return true;
  }
}
