package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest.CloudCall;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest.WireFault;
import dev.dovetail.cloudprovider.testkit.WireFaultStubs;
import java.time.Duration;

/**
 * Wire faults for the conformance kit's chaos pass, as EC2 answers them: throttling is HTTP 503
 * with {@code RequestLimitExceeded}, a server error 500 {@code InternalError}, and a timeout is the
 * stateful fake's real answer (the fleet launched, the instance terminated) held back longer than
 * the SDK's call timeout. Later requests reach {@link FakeEc2Instances} as usual.
 */
record Ec2WireFaults(Duration beyondTimeout) implements WireFaultStubs.Cloud {
  /** Each EC2 request the provider call sends (describes by id for get, by filter for list). */
  @Override
  public MappingBuilder request(CloudCall call) {
    return switch (call) {
      case CREATE -> AwsWireMockTestBase.ec2("CreateFleet");
      case GET ->
          AwsWireMockTestBase.ec2("DescribeInstances").withRequestBody(containing("InstanceId.1="));
      case DELETE -> AwsWireMockTestBase.ec2("TerminateInstances");
      case LIST ->
          AwsWireMockTestBase.ec2("DescribeInstances").withRequestBody(containing("Filter."));
    };
  }

  @Override
  public ResponseDefinitionBuilder answer(WireFault fault) {
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
      case TIMEOUT -> WireFaultStubs.heldBack(FakeEc2Instances.NAME, beyondTimeout);
    };
  }
}
