package dev.dovetail.azure.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Azure Retail Prices API ({@code GET /api/retail/prices}, anonymous, paged with {@code
 * NextPageLink}): Linux consumption prices of virtual machines in one region, on-demand and spot.
 * Plain {@code java.net.http}: it is not an ARM API and needs no credential.
 */
public final class RetailPricesClient {
  static final String API_VERSION = "2023-01-01-preview";
  private static final int MAX_PAGES = 500;

  private final HttpClient http;
  private final String baseUrl;
  private final ObjectMapper json = new ObjectMapper();

  public RetailPricesClient(String baseUrl) {
    this.baseUrl = baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Fetches every page; throws on any failed page, so a partial table is never used. */
  public Prices fetch(String region) {
    String filter =
        "serviceName eq 'Virtual Machines' and priceType eq 'Consumption' and armRegionName eq '"
            + region
            + "'";
    String url =
        baseUrl
            + "/api/retail/prices?api-version="
            + API_VERSION
            + "&$filter="
            + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
    Map<String, Double> onDemand = new HashMap<>();
    Map<String, Double> spot = new HashMap<>();
    for (int page = 0; url != null && !url.isBlank(); page++) {
      if (page >= MAX_PAGES) {
        throw new IllegalStateException("retail prices: more than " + MAX_PAGES + " pages");
      }
      JsonNode body = get(url);
      for (JsonNode item : body.path("Items")) {
        add(item, onDemand, spot);
      }
      JsonNode next = body.path("NextPageLink");
      url = next.isNull() || next.isMissingNode() ? null : next.asText();
    }
    if (onDemand.isEmpty()) {
      throw new IllegalStateException("retail prices: no VM prices for region " + region);
    }
    return new Prices(onDemand, spot, "retail-prices-api");
  }

  private static void add(JsonNode item, Map<String, Double> onDemand, Map<String, Double> spot) {
    String sku = item.path("armSkuName").asText("");
    double price = item.path("retailPrice").asDouble(0);
    String meter = item.path("meterName").asText("").toLowerCase(Locale.ROOT);
    String product = item.path("productName").asText("").toLowerCase(Locale.ROOT);
    if (sku.isEmpty()
        || price <= 0
        || product.contains("windows")
        || meter.contains("low priority")
        || !"Consumption".equals(item.path("type").asText("Consumption"))) {
      return;
    }
    // Several meters can name one size (e.g. per-region duplicates): keep the lowest.
    Map<String, Double> target = meter.endsWith("spot") ? spot : onDemand;
    target.merge(sku, price, Math::min);
  }

  private JsonNode get(String url) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        throw new IllegalStateException(
            "retail prices: HTTP " + resp.statusCode() + " from " + URI.create(url).getPath());
      }
      return json.readTree(resp.body());
    } catch (IOException e) {
      throw new IllegalStateException("retail prices: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("retail prices: interrupted", e);
    }
  }
}
