package dev.dovetail.gcp.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Prices from the catalog shipped in the plugin: {@code gcp.json} (on-demand and spot per
 * predefined shape, us-central1, from the cluster-autoscaler's GCE price table) first; shapes it
 * does not list (custom shapes, Arm and accelerator-optimized families) from per-vCPU and per-GiB
 * family rates plus per-GPU accelerator prices in {@code gcp-rates.json}.
 *
 * <p>The catalog is us-central1's; other regions get the same prices (GCE's regional differences
 * are a few percent and the ranking between shapes, which is what launch decisions use, holds).
 */
public final class CatalogPricing implements PricingProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, double[]> predefined = new HashMap<>();
  private final Map<String, double[]> familyRates = new HashMap<>();
  private final Map<String, double[]> accelerators = new HashMap<>();
  private final double customSurcharge;

  public CatalogPricing() {
    JsonNode catalog = read("gcp.json");
    for (JsonNode t : catalog.path("instanceTypes")) {
      predefined.put(
          t.path("name").asText(),
          new double[] {t.path("onDemandPerHour").asDouble(), t.path("spotPerHour").asDouble()});
    }
    JsonNode rates = read("gcp-rates.json");
    customSurcharge = rates.path("customSurcharge").asDouble(1.0);
    rates
        .path("families")
        .fields()
        .forEachRemaining(
            e ->
                familyRates.put(
                    e.getKey(),
                    new double[] {
                      e.getValue().path("vcpu").asDouble(),
                      e.getValue().path("gib").asDouble(),
                      e.getValue().path("spotFactor").asDouble()
                    }));
    rates
        .path("accelerators")
        .fields()
        .forEachRemaining(
            e ->
                accelerators.put(
                    e.getKey(),
                    new double[] {
                      e.getValue().path("onDemand").asDouble(), e.getValue().path("spot").asDouble()
                    }));
  }

  private static JsonNode read(String name) {
    try (InputStream in = CatalogPricing.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("price resource " + name + " missing from the plugin");
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public OptionalDouble price(Shape shape, boolean spot) {
    double[] listed = predefined.get(shape.machineType());
    if (listed != null) {
      return OptionalDouble.of(spot ? listed[1] : listed[0]);
    }
    String family = shape.machineType().startsWith("custom-") ? "n1" : shape.family();
    double[] rate = familyRates.get(family);
    if (rate == null) {
      return OptionalDouble.empty();
    }
    double vm = shape.vcpus() * rate[0] + (shape.memoryMiB() / 1024.0) * rate[1];
    if (shape.custom()) {
      vm *= customSurcharge;
    }
    if (spot) {
      vm *= rate[2];
    }
    if (shape.acceleratorCount() > 0) {
      double[] gpu = accelerators.get(shape.acceleratorType());
      if (gpu == null) {
        return OptionalDouble.empty();
      }
      vm += shape.acceleratorCount() * (spot ? gpu[1] : gpu[0]);
    }
    return OptionalDouble.of(vm);
  }

  /** The hourly price of one accelerator, or empty when unknown. */
  public OptionalDouble acceleratorPrice(String type, boolean spot) {
    double[] gpu = accelerators.get(type);
    return gpu == null ? OptionalDouble.empty() : OptionalDouble.of(spot ? gpu[1] : gpu[0]);
  }

  @Override
  public String source() {
    return "the built-in catalog (us-central1 list prices)";
  }
}
