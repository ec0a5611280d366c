package dev.dovetail.azure.pricing;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Hourly Linux prices of VM sizes in one region.
 *
 * @param onDemand pay-as-you-go price by size name
 * @param spot spot price by size name (absent when the source has none)
 * @param source where they came from ({@code retail-prices-api} or {@code built-in catalog})
 */
public record Prices(Map<String, Double> onDemand, Map<String, Double> spot, String source) {
  public Prices {
    onDemand = Map.copyOf(onDemand);
    spot = Map.copyOf(spot);
  }

  public OptionalDouble onDemand(String sku) {
    Double p = onDemand.get(sku);
    return p == null ? OptionalDouble.empty() : OptionalDouble.of(p);
  }

  /**
   * The spot price, or the on-demand price when no spot price is known: an upper bound, so the core
   * never believes spot cheaper than it may be.
   */
  public OptionalDouble spot(String sku) {
    Double p = spot.get(sku);
    return p == null ? onDemand(sku) : OptionalDouble.of(p);
  }
}
