package dev.dovetail.aws.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryRequest;
import software.amazon.awssdk.services.ec2.model.SpotPrice;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.pricing.model.Filter;
import software.amazon.awssdk.services.pricing.model.FilterType;
import software.amazon.awssdk.services.pricing.model.GetProductsRequest;

/**
 * Prices per hour. On-demand from the Pricing API ({@code GetProducts}, Linux, shared tenancy);
 * spot from EC2 {@code DescribeSpotPriceHistory} (newest per type and zone). The built-in catalog
 * (on-demand list prices) answers until the first successful refresh, and whenever the Pricing API
 * fails or is not allowed ({@code isolatedVPC}). Without a spot price for a zone, the on-demand
 * price stands in: an upper bound, so spot never looks cheaper than it may be.
 */
public final class PricingProvider {
  private static final Logger LOG = LoggerFactory.getLogger(PricingProvider.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PricingClient pricing;
  private final Ec2Client ec2;
  private final String region;
  private final boolean isolatedVpc;
  private final Clock clock;
  private final Map<String, Double> catalog;
  private final String currency;
  private volatile Map<String, Double> onDemand = Map.of();
  private volatile Map<String, Map<String, Double>> spot = Map.of();
  private volatile String onDemandSource = "catalog";

  public PricingProvider(
      PricingClient pricing, Ec2Client ec2, String region, boolean isolatedVpc, Clock clock) {
    this.pricing = pricing;
    this.ec2 = ec2;
    this.region = region;
    this.isolatedVpc = isolatedVpc;
    this.clock = clock;
    this.catalog = loadCatalog();
    this.currency = currency(region);
  }

  /**
   * The currency of the region's price list: China's partition publishes its EC2 prices in CNY only
   * (no USD dimension), every other partition in USD, as upstream reads them.
   */
  static String currency(String region) {
    return region.startsWith("cn-") ? "CNY" : "USD";
  }

  /** GovCloud has no Pricing API endpoint; upstream keeps its static on-demand prices there. */
  private boolean pricingApiAvailable() {
    return !isolatedVpc && !region.startsWith("us-gov-");
  }

  /** Refreshes both price lists; a failing source keeps its previous (or catalog) prices. */
  public void refresh() {
    refreshOnDemand();
    refreshSpot();
  }

  public void refreshOnDemand() {
    if (!pricingApiAvailable()) {
      onDemandSource = "catalog";
      return;
    }
    try {
      Map<String, Double> prices = new HashMap<>();
      // As upstream: shared-tenancy compute instances, then bare metal (priced as Dedicated).
      for (String item : products("Shared", "Compute Instance")) {
        parseProduct(item, currency, prices);
      }
      Map<String, Double> metal = new HashMap<>();
      for (String item : products("Dedicated", "Compute Instance (bare metal)")) {
        parseProduct(item, currency, metal);
      }
      metal.forEach(
          (type, price) -> {
            if (type.contains("metal")) {
              prices.put(type, price);
            }
          });
      if (!prices.isEmpty()) {
        onDemand = Map.copyOf(prices);
        onDemandSource = "pricing-api";
      }
    } catch (SdkException e) {
      LOG.warn("on-demand pricing unavailable, using the built-in catalog: {}", e.getMessage());
    }
  }

  public void refreshSpot() {
    try {
      Map<String, Map<String, Double>> prices = new ConcurrentHashMap<>();
      Map<String, Instant> seen = new HashMap<>();
      DescribeSpotPriceHistoryRequest request =
          DescribeSpotPriceHistoryRequest.builder()
              .productDescriptions("Linux/UNIX", "Linux/UNIX (Amazon VPC)")
              .startTime(clock.instant())
              .build();
      for (SpotPrice p : ec2.describeSpotPriceHistoryPaginator(request).spotPriceHistory()) {
        String key = p.instanceTypeAsString() + "/" + p.availabilityZone();
        Instant ts = p.timestamp() == null ? Instant.EPOCH : p.timestamp();
        Instant prev = seen.get(key);
        if (prev == null || ts.isAfter(prev)) {
          seen.put(key, ts);
          prices
              .computeIfAbsent(p.instanceTypeAsString(), k -> new ConcurrentHashMap<>())
              .put(p.availabilityZone(), Double.parseDouble(p.spotPrice()));
        }
      }
      if (!prices.isEmpty()) {
        spot = Map.copyOf(prices);
      }
    } catch (SdkException e) {
      LOG.warn("spot pricing unavailable: {}", e.getMessage());
    }
  }

  private Iterable<String> products(String tenancy, String productFamily) {
    GetProductsRequest request =
        GetProductsRequest.builder()
            .serviceCode("AmazonEC2")
            .filters(
                term("regionCode", region),
                term("serviceCode", "AmazonEC2"),
                term("operatingSystem", "Linux"),
                term("tenancy", tenancy),
                term("preInstalledSw", "NA"),
                term("capacitystatus", "Used"),
                // Without it, reserved-instance and capacity-block terms of the same SKU mix in.
                term("marketoption", "OnDemand"),
                term("productFamily", productFamily))
            .build();
    return pricing.getProductsPaginator(request).priceList();
  }

  private static Filter term(String field, String value) {
    return Filter.builder().type(FilterType.TERM_MATCH).field(field).value(value).build();
  }

  /**
   * Reads one Pricing API price list item (a JSON document) into type -> price per hour in the
   * given currency ({@code pricePerUnit.USD} or {@code pricePerUnit.CNY}).
   */
  static void parseProduct(String item, String currency, Map<String, Double> into) {
    try {
      JsonNode root = JSON.readTree(item);
      String type = root.path("product").path("attributes").path("instanceType").asText(null);
      if (type == null) {
        return;
      }
      JsonNode terms = root.path("terms").path("OnDemand");
      for (Iterator<JsonNode> it = terms.elements(); it.hasNext(); ) {
        JsonNode dims = it.next().path("priceDimensions");
        for (Iterator<JsonNode> d = dims.elements(); d.hasNext(); ) {
          String amount = d.next().path("pricePerUnit").path(currency).asText(null);
          if (amount != null) {
            double price = Double.parseDouble(amount);
            if (price > 0) {
              into.merge(type, price, Math::min);
            }
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      LOG.debug("skipping unreadable price list item: {}", e.getMessage());
    }
  }

  public Optional<Double> onDemandPrice(String instanceType) {
    Double p = onDemand.get(instanceType);
    if (p == null) {
      p = catalog.get(instanceType);
    }
    return Optional.ofNullable(p);
  }

  public Optional<Double> spotPrice(String instanceType, String zone) {
    Map<String, Double> zones = spot.get(instanceType);
    if (zones != null && zones.get(zone) != null) {
      return Optional.of(zones.get(zone));
    }
    return onDemandPrice(instanceType);
  }

  /** Where on-demand prices currently come from: {@code pricing-api} or {@code catalog}. */
  public String onDemandSource() {
    return onDemandSource;
  }

  private static Map<String, Double> loadCatalog() {
    try (InputStream in =
        PricingProvider.class.getResourceAsStream("/dev/dovetail/aws/catalog-aws.json")) {
      if (in == null) {
        return Map.of();
      }
      Map<String, Double> out = new HashMap<>();
      for (JsonNode t : JSON.readTree(in).path("instanceTypes")) {
        if (t.hasNonNull("onDemandPerHour")) {
          out.put(t.path("name").asText(), t.path("onDemandPerHour").asDouble());
        }
      }
      return Map.copyOf(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in AWS price catalog", e);
    }
  }
}
