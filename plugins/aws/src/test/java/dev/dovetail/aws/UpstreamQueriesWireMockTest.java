package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The read queries as upstream sends them (issue 18 point 9): Pricing GetProducts filters
 * (GetProductsRequest.Filters of TERM_MATCH Field/Value), and DescribeImages only for available
 * images.
 */
class UpstreamQueriesWireMockTest extends AwsWireMockTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, String> filters(JsonNode request) {
    Map<String, String> out = new HashMap<>();
    for (JsonNode f : request.path("Filters")) {
      assertThat(f.path("Type").asText()).isEqualTo("TERM_MATCH");
      out.put(f.path("Field").asText(), f.path("Value").asText());
    }
    return out;
  }

  @Test
  void onDemandPricesAreAskedForOnDemandComputeAndBareMetal() throws Exception {
    provider.core().pricing().refreshOnDemand();

    List<JsonNode> requests =
        jsonRequests("AWSPriceListService.GetProducts").stream()
            .map(
                r -> {
                  try {
                    return JSON.readTree(r.getBodyAsString());
                  } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                  }
                })
            .toList();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).path("ServiceCode").asText()).isEqualTo("AmazonEC2");
    assertThat(filters(requests.get(0)))
        .containsEntry("regionCode", AwsFixtures.REGION)
        .containsEntry("operatingSystem", "Linux")
        .containsEntry("preInstalledSw", "NA")
        .containsEntry("capacitystatus", "Used")
        .containsEntry("marketoption", "OnDemand")
        .containsEntry("tenancy", "Shared")
        .containsEntry("productFamily", "Compute Instance");
    assertThat(filters(requests.get(1)))
        .containsEntry("marketoption", "OnDemand")
        .containsEntry("tenancy", "Dedicated")
        .containsEntry("productFamily", "Compute Instance (bare metal)");
    assertThat(provider.core().pricing().onDemandSource()).isEqualTo("pricing-api");
  }

  @Test
  void describeImagesAsksOnlyForAvailableImages() {
    provider.core().resolver().resolve(al2023NodeClass());

    List<Map<String, String>> describes = ec2Requests("DescribeImages");
    assertThat(describes).isNotEmpty();
    for (Map<String, String> form : describes) {
      String stateFilter =
          form.entrySet().stream()
              .filter(
                  e -> e.getKey().matches("Filter\\.\\d+\\.Name") && e.getValue().equals("state"))
              .map(e -> e.getKey().replace(".Name", ".Value.1"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no state filter in " + form));
      assertThat(form).containsEntry(stateFilter, "available");
    }
  }
}
