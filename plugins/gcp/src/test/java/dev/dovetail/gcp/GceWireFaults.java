package dev.dovetail.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
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
 * Wire faults for the conformance kit's chaos pass, as Compute Engine answers them: throttling is
 * the API's 429 {@code rateLimitExceeded} ("Quota exceeded for quota metric ..." in the usageLimits
 * domain, which says nothing about instance quota), a server error 503 {@code backendError}, and a
 * timeout is {@link FakeGce}'s real answer (the instance inserted or deleted) held back past the
 * client's request timeout. The first {@code times} matching requests fail, in a WireMock scenario.
 */
final class GceWireFaults {
  private static final String SCENARIO = "gce-wire-fault";
  private static final String INSTANCES = "/compute/v1/projects/[^/]+/zones/[^/]+/instances";

  private final WireMockServer server;
  private final Duration beyondTimeout;
  private final List<StubMapping> stubs = new ArrayList<>();

  GceWireFaults(WireMockServer server, Duration beyondTimeout) {
    this.server = server;
    this.beyondTimeout = beyondTimeout;
  }

  /** The REST request each provider call is about: insert, get, delete, aggregated list. */
  private static Supplier<MappingBuilder> requests(CloudCall call) {
    return switch (call) {
      case CREATE -> () -> post(urlPathMatching(INSTANCES));
      case GET -> () -> get(urlPathMatching(INSTANCES + "/[^/]+"));
      case DELETE -> () -> delete(urlPathMatching(INSTANCES + "/[^/]+"));
      case LIST -> () -> get(urlPathMatching("/compute/v1/projects/[^/]+/aggregated/instances"));
    };
  }

  private ResponseDefinitionBuilder answer(WireFault fault) {
    return switch (fault) {
      case THROTTLE ->
          googleError(
              429,
              "RESOURCE_EXHAUSTED",
              "usageLimits",
              "rateLimitExceeded",
              "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute' of"
                  + " service 'compute.googleapis.com' for consumer 'project_number:123456789'.");
      case SERVER_ERROR ->
          googleError(503, "UNAVAILABLE", "global", "backendError", "Backend Error");
      case TIMEOUT ->
          aResponse().withTransformers(FakeGce.NAME).withFixedDelay((int) beyondTimeout.toMillis());
    };
  }

  private static ResponseDefinitionBuilder googleError(
      int status, String grpcStatus, String domain, String reason, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(
            "{\"error\":{\"code\":"
                + status
                + ",\"message\":\""
                + message
                + "\",\"errors\":[{\"message\":\""
                + message
                + "\",\"domain\":\""
                + domain
                + "\",\"reason\":\""
                + reason
                + "\"}],\"status\":\""
                + grpcStatus
                + "\"}}");
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
