package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pricing outside the commercial partition (issue 18 point 9), as upstream's pricing provider: the
 * Pricing client signs for the partition's Pricing region (China: {@code cn-northwest-1}, Asia
 * Pacific: {@code ap-south-1}, Europe: {@code eu-central-1}), China's price dimensions are read in
 * CNY, and GovCloud (no Pricing endpoint) keeps the static prices without calling the API.
 */
class PricingPartitionsWireMockTest extends AwsWireMockTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A China-partition price list item: only a CNY dimension, as the cn- price list has. */
  private static String cnyItem(String type, String cny) {
    return "{\"product\":{\"productFamily\":\"Compute Instance\",\"attributes\":{\"instanceType\":\""
        + type
        + "\",\"regionCode\":\"cn-north-1\",\"location\":\"China (Beijing)\",\"operatingSystem\":"
        + "\"Linux\",\"tenancy\":\"Shared\",\"preInstalledSw\":\"NA\",\"capacitystatus\":\"Used\"},"
        + "\"sku\":\"SKU1\"},\"serviceCode\":\"AmazonEC2\",\"terms\":{\"OnDemand\":{\"SKU1.99YE2YK9UR\":"
        + "{\"priceDimensions\":{\"SKU1.99YE2YK9UR.6YS6EN2CT7\":{\"unit\":\"Hrs\",\"endRange\":\"Inf\","
        + "\"description\":\"CNY "
        + cny
        + " per On Demand Linux "
        + type
        + " Instance Hour\",\"beginRange\":\"0\",\"pricePerUnit\":{\"CNY\":\""
        + cny
        + "\"}}},\"sku\":\"SKU1\",\"offerTermCode\":\"99YE2YK9UR\",\"termAttributes\":{}}}},"
        + "\"version\":\"20251101000000\",\"publicationDate\":\"2025-11-01T00:00:00Z\"}";
  }

  private AwsCloudProvider startIn(String region) {
    Map<String, String> s = new HashMap<>();
    s.put("region", region);
    s.put("endpoint", "http://localhost:" + wm.port());
    s.put("accessKeyId", "AKIAIOSFODNN7EXAMPLE");
    s.put("secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    s.put("clusterEndpoint", "https://ABCDEF0123456789.gr7.example.eks.amazonaws.com");
    s.put("kubernetesVersion", AwsFixtures.K8S);
    s.put("maxAttempts", "2");
    s.put("retryBaseDelayMs", "1");
    s.put("retryMaxDelayMs", "5");
    AwsCloudProvider p = new AwsCloudProvider();
    p.start(AwsSettings.from("demo", s), clock, events::add, false);
    return p;
  }

  /** The region in the request's SigV4 credential scope ({@code .../<region>/pricing/...}). */
  private static String signingRegion(LoggedRequest r) {
    String auth = r.getHeader("Authorization");
    String scope = auth.substring(auth.indexOf("Credential=") + "Credential=".length());
    String[] parts = scope.substring(0, scope.indexOf(',')).split("/");
    assertThat(parts[3]).isEqualTo("pricing");
    return parts[2];
  }

  @Test
  void chinaPricesAreReadInCnyFromThePricingApiOfCnNorthwest1() throws Exception {
    wm.stubFor(
        json("AWSPriceListService.GetProducts")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(
                        JSON.writeValueAsString(
                            Map.of(
                                "FormatVersion",
                                "aws_v1",
                                "PriceList",
                                List.of(
                                    cnyItem("m5.large", "0.6520000000"),
                                    cnyItem("m5.metal", "31.2960000000")))))));
    AwsCloudProvider china = startIn("cn-north-1");
    try {
      china.core().pricing().refreshOnDemand();

      List<LoggedRequest> requests = jsonRequests("AWSPriceListService.GetProducts");
      assertThat(requests).hasSize(2);
      for (LoggedRequest r : requests) {
        assertThat(signingRegion(r)).isEqualTo("cn-northwest-1");
        JsonNode body = JSON.readTree(r.getBodyAsString());
        assertThat(body.path("ServiceCode").asText()).isEqualTo("AmazonEC2");
        Map<String, String> filters = new HashMap<>();
        body.path("Filters")
            .forEach(f -> filters.put(f.path("Field").asText(), f.path("Value").asText()));
        assertThat(filters).containsEntry("regionCode", "cn-north-1");
      }
      assertThat(china.core().pricing().onDemandSource()).isEqualTo("pricing-api");
      assertThat(china.core().pricing().onDemandPrice("m5.large")).contains(0.652);
      assertThat(china.core().pricing().onDemandPrice("m5.metal")).contains(31.296);
    } finally {
      china.close();
    }
  }

  @Test
  void usdDimensionsAreNotReadAsChinaPrices() {
    // The default fixture price list has USD dimensions only: nothing in it is a China price.
    AwsCloudProvider china = startIn("cn-northwest-1");
    try {
      china.core().pricing().refreshOnDemand();
      assertThat(china.core().pricing().onDemandSource()).isEqualTo("catalog");
    } finally {
      china.close();
    }
  }

  @Test
  void pricingClientSignsForThePartitionsPricingRegion() {
    Map<String, String> expected =
        Map.of(
            "ap-southeast-1", "ap-south-1",
            "eu-west-1", "eu-central-1",
            "us-west-2", "us-east-1",
            "sa-east-1", "us-east-1");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      wm.resetRequests();
      AwsCloudProvider p = startIn(e.getKey());
      try {
        p.core().pricing().refreshOnDemand();
      } finally {
        p.close();
      }
      List<LoggedRequest> requests = jsonRequests("AWSPriceListService.GetProducts");
      assertThat(requests).as(e.getKey()).isNotEmpty();
      assertThat(requests).allSatisfy(r -> assertThat(signingRegion(r)).isEqualTo(e.getValue()));
    }
  }

  @Test
  void govCloudNeverCallsThePricingApi() {
    wm.resetRequests();
    AwsCloudProvider gov = startIn("us-gov-west-1");
    try {
      gov.core().pricing().refreshOnDemand();
      assertThat(jsonRequests("AWSPriceListService.GetProducts")).isEmpty();
      assertThat(gov.core().pricing().onDemandSource()).isEqualTo("catalog");
      assertThat(gov.core().pricing().onDemandPrice("m5.large")).isPresent();
    } finally {
      gov.close();
    }
  }
}
