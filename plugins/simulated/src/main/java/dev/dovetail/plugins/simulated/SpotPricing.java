package dev.dovetail.plugins.simulated;

import java.nio.charset.StandardCharsets;

/**
 * Spot prices for catalogs that carry none (AWS and Azure ship on-demand list prices only).
 *
 * <p>The discount is a stable function of instance type and zone, between {@link #MIN_DISCOUNT} and
 * {@link #MAX_DISCOUNT} of the on-demand price, so every run, every JVM and every test sees the
 * same prices, while zones and types still differ the way real spot markets do (which is what makes
 * spot-to-spot consolidation and zone choice observable). The hash is FNV-1a 64 over the UTF-8
 * bytes of {@code type + "/" + zone}, spec-defined and independent of {@code String.hashCode}. A
 * catalog spot price (GCP publishes one per region) is used as is in every zone.
 */
public final class SpotPricing {
  public static final double MIN_DISCOUNT = 0.55;
  public static final double MAX_DISCOUNT = 0.80;

  private SpotPricing() {}

  /** The spot price of the type in the zone. */
  public static double spotPrice(CatalogEntry entry, String zone) {
    if (entry.spotPerHour() != null
        && entry.spotPerHour() > 0
        && entry.spotPerHour() < entry.onDemandPerHour()) {
      return entry.spotPerHour();
    }
    return modelled(entry.name(), zone, entry.onDemandPerHour());
  }

  /** On-demand price times (1 - discount), discount in [55%, 80%] from a stable hash. */
  public static double modelled(String instanceType, String zone, double onDemand) {
    return onDemand * (1.0 - discount(instanceType, zone));
  }

  static double discount(String instanceType, String zone) {
    long h = fnv1a64(instanceType + "/" + zone);
    // 10,001 steps of 0.0025 percentage points over the range, from the hash's high bits.
    double unit = (double) Long.remainderUnsigned(h >>> 11, 10_001) / 10_000.0;
    return MIN_DISCOUNT + unit * (MAX_DISCOUNT - MIN_DISCOUNT);
  }

  static long fnv1a64(String s) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
