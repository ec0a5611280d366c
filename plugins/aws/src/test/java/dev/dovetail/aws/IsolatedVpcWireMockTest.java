package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IsolatedVpcWireMockTest extends AwsWireMockTestBase {
  @Override
  protected Map<String, String> extraSettings() {
    return Map.of("isolatedVPC", "true");
  }

  @Test
  void isolatedVpcNeverCallsThePricingApi() {
    provider.core().pricing().refresh();
    assertThat(jsonRequests("AWSPriceListService.GetProducts")).isEmpty();
    assertThat(provider.core().pricing().onDemandSource()).isEqualTo("catalog");
    assertThat(provider.core().pricing().onDemandPrice("m5.large")).contains(0.096);
    // Spot prices still come from EC2, which is reachable through its VPC endpoint.
    assertThat(provider.core().pricing().spotPrice("m5.large", "us-west-2a")).contains(0.036);
  }
}
