package dev.dovetail.cloudprovider.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest.CloudCall;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest.WireFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The chaos pass's wire faults on a WireMock cloud: the first {@code times} requests of a provider
 * call are answered with the fault, one stub per failure chained in a WireMock scenario, and later
 * ones fall through (priority 1 over the cloud's own stubs) to the fake as usual. What differs per
 * cloud, which request a call sends and how the cloud refuses, is a {@link Cloud}.
 *
 * <p>WireMock is a {@code provided} dependency of the plugin API: the plugin's tests bring it.
 */
public final class WireFaultStubs {
  private static final String SCENARIO = "wire-fault";

  /** One cloud's API on the wire, as its fake serves it. */
  public interface Cloud {
    /** A new request matcher for the requests {@code call} sends. */
    MappingBuilder request(CloudCall call);

    /** The cloud's own answer for {@code fault} (see {@link #heldBack} for a timeout). */
    ResponseDefinitionBuilder answer(WireFault fault);
  }

  private final WireMockServer server;
  private final Cloud cloud;
  private final List<StubMapping> stubs = new ArrayList<>();

  public WireFaultStubs(WireMockServer server, Cloud cloud) {
    this.server = server;
    this.cloud = cloud;
  }

  /**
   * A {@link WireFault#TIMEOUT}: the fake's real answer (the create or delete takes effect) from
   * its response transformer, held back for {@code delay}, past the client's timeout.
   */
  public static ResponseDefinitionBuilder heldBack(String transformer, Duration delay) {
    return aResponse().withTransformers(transformer).withFixedDelay((int) delay.toMillis());
  }

  /**
   * Replaces any earlier fault: the next {@code times} requests of {@code call} get {@code fault}.
   */
  public void inject(CloudCall call, WireFault fault, int times) {
    clear();
    for (int i = 0; i < times; i++) {
      stubs.add(
          server.stubFor(
              cloud
                  .request(call)
                  .atPriority(1)
                  .inScenario(SCENARIO)
                  .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed-" + i)
                  .willSetStateTo("failed-" + (i + 1))
                  .willReturn(cloud.answer(fault))));
    }
  }

  /** Removes the faults that have not fired yet. */
  public void clear() {
    stubs.forEach(server::removeStub);
    stubs.clear();
    server.resetScenarios();
  }
}
