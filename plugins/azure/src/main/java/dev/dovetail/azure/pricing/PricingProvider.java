package dev.dovetail.azure.pricing;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Current prices: the built-in catalog until {@link #refresh()} succeeds, then the Retail Prices
 * API's table; a failed refresh keeps the last good table (never an empty one).
 */
public final class PricingProvider {
  private static final Logger LOG = LoggerFactory.getLogger(PricingProvider.class);

  private final RetailPricesClient client;
  private final String region;
  private final AtomicReference<Prices> current = new AtomicReference<>(BuiltInCatalog.load());

  public PricingProvider(RetailPricesClient client, String region) {
    this.client = client;
    this.region = region;
  }

  public Prices prices() {
    return current.get();
  }

  /** Fetches the region's prices; returns whether the live table is now in use. */
  public boolean refresh() {
    try {
      Prices fetched = client.fetch(region);
      current.set(fetched);
      LOG.info(
          "azure pricing: {} on-demand and {} spot prices for {} from the Retail Prices API",
          fetched.onDemand().size(),
          fetched.spot().size(),
          region);
      return true;
    } catch (RuntimeException e) {
      LOG.warn("azure pricing: keeping {} prices: {}", current.get().source(), e.getMessage());
      return false;
    }
  }
}
