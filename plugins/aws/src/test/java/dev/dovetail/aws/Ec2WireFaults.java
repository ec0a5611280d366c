package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;

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
 * Wire faults for the conformance kit's chaos pass, as EC2 answers them: throttling is HTTP 503
 * with {@code RequestLimitExceeded}, a server error 500 {@code InternalError}, and a timeout is the
 * stateful fake's real answer (the fleet launched, the instance terminated) held back longer than
 * the SDK's call timeout. The first {@code times} matching requests fail, in a WireMock scenario,
 * and later ones reach {@link FakeEc2Instances} as usual.
 */
final class Ec2WireFaults {
  private static final String SCENARIO = "ec2-wire-fault";

  private final WireMockServer server;
  private final Duration beyondTimeout;
  private final List<StubMapping> stubs = new ArrayList<>();

  Ec2WireFaults(WireMockServer server, Duration beyondTimeout) {
    this.server = server;
    this.beyondTimeout = beyondTimeout;
  }

  /** Each EC2 request the provider call sends (describes by id for get, by filter for list). */
  private static Supplier<MappingBuilder> requests(CloudCall call) {
    return switch (call) {
      case CREATE -> () -> AwsWireMockTestBase.ec2("CreateFleet");
      case GET ->
          () ->
              AwsWireMockTestBase.ec2("DescribeInstances")
                  .withRequestBody(containing("InstanceId.1="));
      case DELETE -> () -> AwsWireMockTestBase.ec2("TerminateInstances");
      case LIST ->
          () -> AwsWireMockTestBase.ec2("DescribeInstances").withRequestBody(containing("Filter."));
    };
  }

  private ResponseDefinitionBuilder answer(WireFault fault) {
    return switch (fault) {
      case THROTTLE ->
          aResponse()
              .withStatus(503)
              .withBody(Ec2Xml.error("RequestLimitExceeded", "Request limit exceeded."));
      case SERVER_ERROR ->
          aResponse()
              .withStatus(500)
              .withBody(
                  Ec2Xml.error(
                      "InternalError", "An internal error has occurred. Retry your request."));
      case TIMEOUT ->
          aResponse()
              .withTransformers(FakeEc2Instances.NAME)
              .withFixedDelay((int) beyondTimeout.toMillis());
    };
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
