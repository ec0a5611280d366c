package dev.dovetail.azure;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dovetail.azure.options.AzureSettings;
import dev.dovetail.azure.v1beta1.AKSNodeClass;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.testkit.WireFaultStubs;
import dev.dovetail.cloudprovider.testkit.WireMockConformanceTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plugin-api conformance kit, with the real Azure SDK clients against the WireMock fake.
 *
 * <p>Its chaos pass runs over the wire: VM creates failing with {@code SkuNotAvailable} (409 on the
 * PUT) or a failed allocation ({@code AllocationFailed}, {@code OverconstrainedAllocationRequest},
 * {@code ZonalAllocationFailed} in the async operation), ARM throttling (429), 500s and answers
 * held back past the read timeout on the VM's PUT, GET, DELETE and list, plus the kit's own
 * decorator faults. {@code -Dchaos.steps=400} runs longer.
 */
class AzureConformanceWireMockTest extends WireMockConformanceTest {
  /** Azure's capacity answers, used in turn: refused at once, or a failed allocation. */
  private static final List<String> CAPACITY_CODES =
      List.of(
          "SkuNotAvailable",
          "AllocationFailed",
          "OverconstrainedAllocationRequest",
          "ZonalAllocationFailed");

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(4);

  private final AKSNodeClass nodeClass = AzureFixtures.nodeClass();
  private int capacityFaults;

  @Override
  protected CloudProvider startProvider() {
    WireMockServer server = AzureFixtures.resetAzure();
    useWireFaults(new WireFaultStubs(server, new AzureWireFaults(READ_TIMEOUT.plusSeconds(2))));
    Map<String, String> s = AzureFixtures.settingsMap(server);
    // a wire timeout is a fixed delay past this read timeout
    s.put("httpTimeoutMs", String.valueOf(READ_TIMEOUT.toMillis()));
    AzureCloudProvider p = new AzureCloudProvider();
    p.start(
        AzureSettings.from("demo", k -> Optional.ofNullable(s.get(k))), Clock.systemUTC(), d -> {});
    return p;
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
    AzureFixtures.AZURE.fault(
        offering, CAPACITY_CODES.get(capacityFaults++ % CAPACITY_CODES.size()));
    return true;
  }
}
