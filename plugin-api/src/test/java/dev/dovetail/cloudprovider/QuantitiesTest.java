package dev.dovetail.cloudprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QuantitiesTest {
  @Test
  void cpuIsMillicoresRoundedUp() {
    assertThat(Quantities.toCanonical("cpu", "500m")).isEqualTo(500);
    assertThat(Quantities.toCanonical("cpu", "1.5")).isEqualTo(1500);
    assertThat(Quantities.toCanonical("cpu", "2")).isEqualTo(2000);
    assertThat(Quantities.toCanonical("cpu", "100u")).isEqualTo(1);
  }

  @Test
  void memoryBinaryAndDecimalSuffixes() {
    assertThat(Quantities.toCanonical("memory", "1Gi")).isEqualTo(1L << 30);
    assertThat(Quantities.toCanonical("memory", "512Mi")).isEqualTo(512L << 20);
    assertThat(Quantities.toCanonical("memory", "1G")).isEqualTo(1_000_000_000L);
    assertThat(Quantities.toCanonical("memory", "1.5Gi")).isEqualTo(3L << 29);
    assertThat(Quantities.toCanonical("memory", "1e3")).isEqualTo(1000);
    assertThat(Quantities.toCanonical("memory", "129e6")).isEqualTo(129_000_000L);
    assertThat(Quantities.toCanonical("pods", "110")).isEqualTo(110);
  }

  @Test
  void formatRoundTrips() {
    for (String q : new String[] {"250m", "3", "4Gi", "100Mi", "110", "1500m"}) {
      String name = q.endsWith("m") || q.equals("3") ? "cpu" : "memory";
      assertThat(Quantities.format(name, Quantities.toCanonical(name, q))).isEqualTo(q);
    }
  }

  @Test
  void garbageIsRejectedWithTheValue() {
    assertThatThrownBy(() -> Quantities.parse("12 cores"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("12 cores");
    assertThatThrownBy(() -> Quantities.parse("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resourcesArithmetic() {
    Resources a = Resources.parse(Map.of("cpu", "1", "memory", "1Gi"));
    Resources b = Resources.parse(Map.of("cpu", "500m", "nvidia.com/gpu", "1"));
    Resources sum = a.add(b);
    assertThat(sum.get("cpu")).isEqualTo(1500);
    assertThat(sum.get("nvidia.com/gpu")).isEqualTo(1);
    assertThat(b.fitsIn(sum)).isTrue();
    assertThat(sum.fitsIn(a)).isFalse();
    assertThat(sum.exceeding(a)).containsExactly("cpu", "nvidia.com/gpu");
    assertThat(a.subtract(sum).clampNonNegative().get("cpu")).isZero();
  }
}
