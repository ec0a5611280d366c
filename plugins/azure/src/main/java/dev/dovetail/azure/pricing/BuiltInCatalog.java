package dev.dovetail.azure.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The on-demand prices shipped with the plugin ({@code catalog-azure.json}: upstream's generated
 * eastus price table), used until the Retail Prices API answers and whenever it cannot be reached.
 */
public final class BuiltInCatalog {
  private static final String RESOURCE = "/dev/dovetail/azure/catalog-azure.json";

  private BuiltInCatalog() {}

  public static Prices load() {
    try (InputStream in = BuiltInCatalog.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      JsonNode root = new ObjectMapper().readTree(in);
      Map<String, Double> onDemand = new HashMap<>();
      for (JsonNode it : root.path("instanceTypes")) {
        double price = it.path("onDemandPerHour").asDouble(0);
        if (price > 0) {
          onDemand.put(it.path("name").asText(), price);
        }
      }
      return new Prices(onDemand, Map.of(), "built-in catalog");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
