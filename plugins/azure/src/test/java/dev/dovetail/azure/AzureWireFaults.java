package dev.dovetail.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest.CloudCall;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest.WireFault;
import dev.dovetail.cloudprovider.testkit.WireFaultStubs;
import java.time.Duration;

/**
 * Wire faults for the conformance kit's chaos pass, as Azure Resource Manager answers them:
 * throttling is the compute RP's 429 {@code OperationNotAllowed} "too many requests" with a {@code
 * Retry-After}, a server error 500 {@code InternalServerError}, and a timeout is {@link
 * FakeAzure}'s real answer (the VM created or deleted) held back past the client's read timeout.
 * Later requests reach the fake.
 */
record AzureWireFaults(Duration beyondTimeout) implements WireFaultStubs.Cloud {
  private static final String VMS =
      "/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Compute/virtualMachines";

  /** The ARM request each provider call is about: the VM's PUT, GET, DELETE, or the VM list. */
  @Override
  public MappingBuilder request(CloudCall call) {
    return switch (call) {
      case CREATE -> put(urlPathMatching(VMS + "/[^/]+"));
      case GET -> get(urlPathMatching(VMS + "/[^/]+"));
      case DELETE -> delete(urlPathMatching(VMS + "/[^/]+"));
      case LIST -> get(urlPathMatching(VMS));
    };
  }

  @Override
  public ResponseDefinitionBuilder answer(WireFault fault) {
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
      case TIMEOUT -> WireFaultStubs.heldBack(FakeAzure.NAME, beyondTimeout);
    };
  }

  private static ResponseDefinitionBuilder armError(int status, String code, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("x-ms-error-code", code)
        .withBody("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}");
  }
}
