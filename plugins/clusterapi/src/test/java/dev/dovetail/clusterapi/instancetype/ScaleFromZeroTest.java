package dev.dovetail.clusterapi.instancetype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.clusterapi.capi.Capi;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleFromZeroTest {

  @Test
  void annotationsOverrideTheTemplateCapacity() {
    Resources r =
        ScaleFromZero.capacity(
            Map.of(Capi.CPU_ANNOTATION, "500m", Capi.MAX_PODS_ANNOTATION, "58"),
            Map.of("cpu", "8", "memory", "32Gi"));
    assertThat(r.get(Resources.CPU)).isEqualTo(500);
    assertThat(r.get(Resources.MEMORY)).isEqualTo(32L << 30);
    assertThat(r.get(Resources.PODS)).isEqualTo(58);
  }

  @Test
  void gpuCountUsesTheGpuTypeAsResourceNameDefaultingToNvidia() {
    assertThat(
            ScaleFromZero.capacity(
                    Map.of(Capi.GPU_TYPE_ANNOTATION, "amd.com/gpu", Capi.GPU_COUNT_ANNOTATION, "4"),
                    Map.of())
                .get(Resources.AMD_GPU))
        .isEqualTo(4);
    assertThat(
            ScaleFromZero.capacity(Map.of(Capi.GPU_COUNT_ANNOTATION, "1"), Map.of())
                .get(Resources.NVIDIA_GPU))
        .isEqualTo(1);
  }

  @Test
  void anInvalidQuantityNamesTheAnnotation() {
    assertThatThrownBy(
            () -> ScaleFromZero.capacity(Map.of(Capi.MEMORY_ANNOTATION, "lots"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Capi.MEMORY_ANNOTATION)
        .hasMessageContaining("lots");
  }

  @Test
  void labelsAreCommaSeparatedPairs() {
    assertThat(ScaleFromZero.labels("a=1, b/c=two,broken,d="))
        .containsExactly(Map.entry("a", "1"), Map.entry("b/c", "two"), Map.entry("d", ""));
    assertThat(ScaleFromZero.labels(null)).isEmpty();
  }

  @Test
  void taintsWithAndWithoutValues() {
    assertThat(ScaleFromZero.taints("gpu=true:NoSchedule, spot:PreferNoSchedule"))
        .containsExactly(
            new Taint("gpu", "true", "NoSchedule"), new Taint("spot", "", "PreferNoSchedule"));
  }

  @Test
  void aMalformedTaintNamesTheAnnotation() {
    assertThatThrownBy(() -> ScaleFromZero.taints("gpu=true:Sometimes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Capi.TAINTS_ANNOTATION);
  }

  @Test
  void priceAnnotationWinsOverCurrentPriceAndBadValuesAreSkipped() {
    assertThat(
            ScaleFromZero.price(
                Map.of(Capi.PRICE_ANNOTATION, "0.5", Capi.CURRENT_PRICE_ANNOTATION, "0.9")))
        .contains(0.5);
    assertThat(
            ScaleFromZero.price(
                Map.of(Capi.PRICE_ANNOTATION, "free", Capi.CURRENT_PRICE_ANNOTATION, "0.9")))
        .contains(0.9);
    assertThat(ScaleFromZero.price(Map.of(Capi.PRICE_ANNOTATION, "-1"))).isEmpty();
  }
}
