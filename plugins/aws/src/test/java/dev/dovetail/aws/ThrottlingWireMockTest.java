package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;

class ThrottlingWireMockTest extends AwsWireMockTestBase {

  @Test
  void requestLimitExceededIsRetriedWithBackoff() {
    wm.stubFor(
        ec2("DescribeSubnets")
            .inScenario("throttle")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("once")
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withBody(Ec2Xml.error("RequestLimitExceeded", "Request limit exceeded."))));
    wm.stubFor(
        ec2("DescribeSubnets")
            .inScenario("throttle")
            .whenScenarioStateIs("once")
            .willSetStateTo("ok")
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withBody(Ec2Xml.error("RequestLimitExceeded", "Request limit exceeded."))));
    wm.stubFor(
        ec2("DescribeSubnets")
            .inScenario("throttle")
            .whenScenarioStateIs("ok")
            .willReturn(aResponse().withStatus(200).withBody(AwsFixtures.describeSubnets())));

    EC2NodeClassStatus status = provider.core().resolver().resolve(al2023NodeClass());

    assertThat(status.ready()).isTrue();
    assertThat(status.subnets).hasSize(3);
    assertThat(ec2Requests("DescribeSubnets")).hasSize(3);
  }

  @Test
  void serverErrorsAndDroppedConnectionsAreRetried() {
    wm.stubFor(
        ec2("DescribeInstanceTypes")
            .inScenario("5xx")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("reset")
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withBody(Ec2Xml.error("InternalError", "An internal error has occurred"))));
    wm.stubFor(
        ec2("DescribeInstanceTypes")
            .inScenario("5xx")
            .whenScenarioStateIs("reset")
            .willSetStateTo("ok")
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    wm.stubFor(
        ec2("DescribeInstanceTypes")
            .inScenario("5xx")
            .whenScenarioStateIs("ok")
            .willReturn(aResponse().withStatus(200).withBody(AwsFixtures.describeInstanceTypes())));

    assertThat(provider.core().instanceTypeProvider().infos()).hasSize(10);
    assertThat(ec2Requests("DescribeInstanceTypes")).hasSize(3);
  }

  @Test
  void retriesAreBoundedAndTheFailureSurfaces() {
    stubEc2Error("DescribeInstanceTypes", 503, "RequestLimitExceeded", "Request limit exceeded.");
    assertThatThrownBy(() -> provider.core().instanceTypeProvider().infos())
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("Request limit exceeded");
    assertThat(ec2Requests("DescribeInstanceTypes")).hasSize(4); // maxAttempts
  }

  @Test
  void clientErrorsAreNotRetried() {
    stubEc2Error(
        "DescribeSubnets",
        403,
        "UnauthorizedOperation",
        "You are not authorized to perform this operation.");
    EC2NodeClassStatus status = provider.core().resolver().resolve(al2023NodeClass());
    assertThat(status.condition("SubnetsReady").getStatus()).isEqualTo("False");
    assertThat(status.condition("SubnetsReady").getMessage()).contains("not authorized");
    assertThat(ec2Requests("DescribeSubnets")).hasSize(1);
  }

  @Test
  void slowResponsesHitTheBoundedCallTimeout() {
    provider.close();
    provider = new AwsCloudProvider();
    var s = new java.util.HashMap<String, String>();
    s.put("region", AwsFixtures.REGION);
    s.put("endpoint", "http://localhost:" + wm.port());
    s.put("accessKeyId", "AKIAIOSFODNN7EXAMPLE");
    s.put("secretAccessKey", "secret");
    s.put("maxAttempts", "1");
    s.put("apiCallTimeoutMs", "300");
    provider.start(AwsSettings.from("demo", s), clock, events::add, false);
    wm.stubFor(
        ec2("DescribeInstanceTypes")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withFixedDelay(3000)
                    .withBody(AwsFixtures.describeInstanceTypes())));
    assertThatThrownBy(() -> provider.core().instanceTypeProvider().infos())
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("timeout");
  }
}
