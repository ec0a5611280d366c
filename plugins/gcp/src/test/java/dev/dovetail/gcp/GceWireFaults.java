package dev.dovetail.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest.CloudCall;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest.WireFault;
import dev.dovetail.cloudprovider.testkit.WireFaultStubs;
import java.time.Duration;

/**
 * Wire faults for the conformance kit's chaos pass, as Compute Engine answers them: throttling is
 * the API's 429 {@code rateLimitExceeded} ("Quota exceeded for quota metric ..." in the usageLimits
 * domain, which says nothing about instance quota), a server error 503 {@code backendError}, and a
 * timeout is {@link FakeGce}'s real answer (the instance inserted or deleted) held back past the
 * client's request timeout.
 */
record GceWireFaults(Duration beyondTimeout) implements WireFaultStubs.Cloud {
  private static final String INSTANCES = "/compute/v1/projects/[^/]+/zones/[^/]+/instances";

  /** The REST request each provider call is about: insert, get, delete, aggregated list. */
  @Override
  public MappingBuilder request(CloudCall call) {
    return switch (call) {
      case CREATE -> post(urlPathMatching(INSTANCES));
      case GET -> get(urlPathMatching(INSTANCES + "/[^/]+"));
      case DELETE -> delete(urlPathMatching(INSTANCES + "/[^/]+"));
      case LIST -> get(urlPathMatching("/compute/v1/projects/[^/]+/aggregated/instances"));
    };
  }

  @Override
  public ResponseDefinitionBuilder answer(WireFault fault) {
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
      case TIMEOUT -> WireFaultStubs.heldBack(FakeGce.NAME, beyondTimeout);
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
}
