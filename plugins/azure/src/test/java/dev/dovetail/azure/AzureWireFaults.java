package dev.dovetail.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

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
import java.util.function.Supplier;

/**
 * Wire faults for the conformance kit's chaos pass, as Azure Resource Manager answers them:
 * throttling is the compute RP's 429 {@code OperationNotAllowed} "too many requests" with a {@code
 * Retry-After}, a server error 500 {@code InternalServerError}, and a timeout is {@link
 * FakeAzure}'s real answer (the VM created or deleted) held back past the client's read timeout.
 * The first {@code times} matching requests fail, in a WireMock scenario; later ones reach the
 * fake.
 */
final class AzureWireFaults {
  private static final String SCENARIO = "arm-wire-fault";
  private static final String VMS =
      "/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Compute/virtualMachines";

  private final WireMockServer server;
  private final Duration beyondTimeout;
  private final List<StubMapping> stubs = new ArrayList<>();

  AzureWireFaults(WireMockServer server, Duration beyondTimeout) {
    this.server = server;
    this.beyondTimeout = beyondTimeout;
  }

  /** The ARM request each provider call is about: the VM's PUT, GET, DELETE, or the VM list. */
  private static Supplier<MappingBuilder> requests(CloudCall call) {
    return switch (call) {
      case CREATE -> () -> put(urlPathMatching(VMS + "/[^/]+"));
      case GET -> () -> get(urlPathMatching(VMS + "/[^/]+"));
      case DELETE -> () -> delete(urlPathMatching(VMS + "/[^/]+"));
      case LIST -> () -> get(urlPathMatching(VMS));
    };
  }

  private ResponseDefinitionBuilder answer(WireFault fault) {
    return switch (fault) {
      case THROTTLE ->
          armError(
                  429,
                  "OperationNotAllowed",
                  "The server rejected the request because too many requests have been received"
                      + " for this subscription.")
              .withHeader("Retry-After", "1");
      case SERVER_ERROR ->
          armError(
              500,
              "InternalServerError",
              "An unexpected error occurred while processing the request.");
      case TIMEOUT ->
          aResponse()
              .withTransformers(FakeAzure.NAME)
              .withFixedDelay((int) beyondTimeout.toMillis());
    };
  }

  private static ResponseDefinitionBuilder armError(int status, String code, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("x-ms-error-code", code)
        .withBody("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}");
  }

  void inject(CloudCall call, WireFault fault, int times) {
    clear();
    Supplier<MappingBuilder> request = requests(call);
    for (int i = 0; i < times; i++) {
      stubs.add(
          server.stubFor(
              request
                  .get()
                  .atPriority(1)
                  .inScenario(SCENARIO)
                  .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed-" + i)
                  .willSetStateTo("failed-" + (i + 1))
                  .willReturn(answer(fault))));
    }
  }

  void clear() {
    stubs.forEach(server::removeStub);
    stubs.clear();
    server.resetScenarios();
  }
}
