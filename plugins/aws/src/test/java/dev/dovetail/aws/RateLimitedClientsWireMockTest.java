package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitedClientsWireMockTest extends AwsWireMockTestBase {
  @Test
  void everyHttpAttemptIncludingRetriesTakesATokenOfItsOwnApi() {
    List<Long> waits = new ArrayList<>();
    ApiRateLimiter limiter = new ApiRateLimiter(5, 2, clock, waits::add);
    Map<String, String> s = new HashMap<>();
    s.put("region", AwsFixtures.REGION);
    s.put("endpoint", "http://localhost:" + wm.port());
    s.put("accessKeyId", "AKIAIOSFODNN7EXAMPLE");
    s.put("secretAccessKey", "secret");
    s.put("retryBaseDelayMs", "1");
    s.put("retryMaxDelayMs", "2");
    wm.stubFor(
        ec2("DescribeSubnets")
            .inScenario("t")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("ok")
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withBody(Ec2Xml.error("RequestLimitExceeded", "Request limit exceeded."))));
    wm.stubFor(
        ec2("DescribeSubnets")
            .inScenario("t")
            .whenScenarioStateIs("ok")
            .willReturn(aResponse().withStatus(200).withBody(AwsFixtures.describeSubnets())));
    try (AwsClients clients = new AwsClients(AwsSettings.from("demo", s), limiter)) {
      clients.ec2().describeSubnets(); // throttled once, retried: 2 attempts = the whole burst
      clients.ec2().describeSecurityGroups(); // another API: its own bucket, no wait
      assertThat(waits).isEmpty();
      clients.ec2().describeSubnets(); // third DescribeSubnets attempt: paced at 5/s
      assertThat(waits).containsExactly(200_000_000L);
    }
    String sgApi =
        limiter.apis().stream()
            .filter(a -> a.endsWith(":DescribeSecurityGroups"))
            .findFirst()
            .orElseThrow();
    assertThat(limiter.tokens(sgApi)).isEqualTo(1.0);
    assertThat(limiter.apis()).hasSize(2);
  }
}
