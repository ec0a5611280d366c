package dev.dovetail.gcp.pricing;

import java.util.OptionalDouble;

/**
 * Hourly prices of GCE shapes. The plugin ships {@link CatalogPricing} (a built-in catalog); a live
 * source (Cloud Billing Catalog API) can replace it behind this interface.
 */
public interface PricingProvider {

  /**
   * The hourly price of a machine type with its bundled accelerators.
   *
   * @param shape the machine type's name and size (custom shapes are priced from it)
   * @param spot SPOT provisioning rather than on-demand
   * @return the price, or empty when the source knows nothing about the shape
   */
  OptionalDouble price(Shape shape, boolean spot);

  /** Where the prices come from, for the provider's status line. */
  String source();

  /**
   * What a price depends on.
   *
   * @param machineType e.g. {@code n2-standard-4} or {@code n2-custom-4-16384}
   * @param vcpus guest CPUs
   * @param memoryMiB memory in MiB
   * @param acceleratorType bundled accelerator type (e.g. {@code nvidia-l4}) or null
   * @param acceleratorCount bundled accelerator count
   */
  record Shape(
      String machineType, int vcpus, long memoryMiB, String acceleratorType, int acceleratorCount) {

    /** The family, the part before the first dash ({@code n2}, {@code e2}, {@code t2a}). */
    public String family() {
      int dash = machineType.indexOf('-');
      return dash < 0 ? machineType : machineType.substring(0, dash);
    }

    /** Whether this is a custom shape ({@code custom-4-16384}, {@code n2-custom-4-16384}). */
    public boolean custom() {
      return machineType.startsWith("custom-") || machineType.contains("-custom-");
    }
  }
}
