package dev.dovetail.gcp.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CatalogPricingTest {
  private final CatalogPricing pricing = new CatalogPricing();

  private static PricingProvider.Shape shape(String name, int cpu, long mib) {
    return new PricingProvider.Shape(name, cpu, mib, null, 0);
  }

  @Test
  void predefinedShapesComeFromTheCatalog() {
    assertThat(pricing.price(shape("n2-standard-4", 4, 16384), false).getAsDouble())
        .isCloseTo(0.1942, within(1e-9));
    assertThat(pricing.price(shape("n2-standard-4", 4, 16384), true).getAsDouble())
        .isCloseTo(0.047, within(1e-9));
  }

  @Test
  void customShapesArePricedPerVcpuAndGibWithTheSurcharge() {
    double p = pricing.price(shape("n2-custom-4-16384", 4, 16384), false).getAsDouble();
    assertThat(p).isCloseTo((4 * 0.031611 + 16 * 0.004237) * 1.05, within(1e-9));
    double legacy = pricing.price(shape("custom-2-8192", 2, 8192), false).getAsDouble();
    assertThat(legacy).isCloseTo((2 * 0.031611 + 8 * 0.004237) * 1.05, within(1e-9));
    assertThat(pricing.price(shape("n2-custom-4-16384", 4, 16384), true).getAsDouble())
        .isLessThan(p);
  }

  @Test
  void acceleratorOptimizedShapesAddTheirGpus() {
    PricingProvider.Shape a2 =
        new PricingProvider.Shape("a2-highgpu-2g", 24, 174080, "nvidia-tesla-a100", 2);
    double vm = 24 * 0.031611 + 170 * 0.004237;
    assertThat(pricing.price(a2, false).getAsDouble()).isCloseTo(vm + 2 * 2.934, within(1e-6));
    assertThat(pricing.acceleratorPrice("nvidia-l4", true).getAsDouble()).isEqualTo(0.22);
  }

  @Test
  void armFamiliesNotInTheCatalogArePricedFromRates() {
    assertThat(pricing.price(shape("t2a-standard-4", 4, 16384), false)).isPresent();
    assertThat(pricing.price(shape("zz9-standard-4", 4, 16384), false)).isEmpty();
    PricingProvider.Shape unknownGpu =
        new PricingProvider.Shape("a2-highgpu-1g", 12, 87040, "nvidia-imaginary", 1);
    assertThat(pricing.price(unknownGpu, false)).isEmpty();
  }
}
