package dev.dovetail.cloudprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ResourcesTest {
  private static final String[] NAMES = {
    "cpu", "memory", "pods", "ephemeral-storage", "nvidia.com/gpu", "example.com/foo", "a/b"
  };

  @Test
  void behavesLikeTheSortedMapItReplaced() {
    Random rnd = new Random(42);
    for (int round = 0; round < 2_000; round++) {
      TreeMap<String, Long> a = randomAmounts(rnd);
      TreeMap<String, Long> b = randomAmounts(rnd);
      Resources ra = Resources.of(copyWithFreshNames(a));
      Resources rb = Resources.of(copyWithFreshNames(b));
      assertModel(ra, a);
      assertModel(ra.add(rb), merged(a, b, 1));
      assertModel(ra.subtract(rb), merged(a, b, -1));
      long f = rnd.nextInt(7) - 3;
      TreeMap<String, Long> times = new TreeMap<>();
      a.forEach((k, v) -> times.put(k, v * f));
      assertModel(ra.multiply(f), times);
      TreeMap<String, Long> clamped = new TreeMap<>();
      a.forEach((k, v) -> clamped.put(k, Math.max(0L, v)));
      assertModel(ra.clampNonNegative(), clamped);
      boolean fits =
          a.entrySet().stream()
              .noneMatch(e -> e.getValue() > 0 && e.getValue() > b.getOrDefault(e.getKey(), 0L));
      assertThat(ra.fitsIn(rb)).isEqualTo(fits);
      assertThat(ra.exceeding(rb).isEmpty()).isEqualTo(fits);
      assertThat(ra.equals(rb)).isEqualTo(a.equals(b));
    }
  }

  @Test
  void zeroAmountsAreKeptAndCountForEquality() {
    Resources zero = Resources.of("cpu", 0L);
    assertThat(zero.has("cpu")).isTrue();
    assertThat(zero.isEmpty()).isFalse();
    assertThat(zero).isNotEqualTo(Resources.EMPTY);
    assertThat(Resources.of(Map.of())).isEqualTo(Resources.EMPTY);
    assertThat(Resources.of("cpu", 1L, "cpu", 2L).get("cpu")).isEqualTo(2L);
  }

  @Test
  void asMapIsReadOnlyAndInNameOrder() {
    Resources r = Resources.of("pods", 3L, "cpu", 1000L, "memory", 1L << 30, "x/y", 7L);
    assertThat(new ArrayList<>(r.asMap().keySet())).containsExactly("cpu", "memory", "pods", "x/y");
    assertThat(r.asMap().get("x/y")).isEqualTo(7L);
    assertThat(r.asMap().get("gpu")).isNull();
    assertThat(r.asMap())
        .isEqualTo(Map.of("pods", 3L, "cpu", 1000L, "memory", 1L << 30, "x/y", 7L));
    assertThatThrownBy(() -> r.asMap().put("cpu", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.asMap().entrySet().iterator().next().setValue(1L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(r.toString()).isEqualTo("{cpu=1, memory=1Gi, pods=3, x/y=7}");
  }

  @Test
  void parsedNamesAreCanonicalInstances() {
    // A deserialized pod brings its own copy of every name; keeping those copies in each
    // translation cost memory per pod, so the well-known names map to the constants.
    Map<String, String> q = new HashMap<>();
    q.put(new String("cpu"), "500m");
    q.put(new String("memory"), "1Gi");
    q.put(new String("example.com/dongle"), "1");
    Resources r = Resources.parse(q);
    List<String> names = new ArrayList<>(r.asMap().keySet());
    assertThat(names.get(0)).isSameAs(Resources.CPU);
    assertThat(names.get(2)).isSameAs(Resources.MEMORY);
    assertThat(names.get(1)).isSameAs(new String("example.com/dongle").intern());
  }

  @Test
  void aRetainedInstanceIsSmall() {
    // The sorted map of boxed amounts retained about 270 bytes for a {cpu, memory} request; the
    // array form retains about 50. The bound leaves room for collector noise.
    int n = 200_000;
    Object[] keep = new Object[n];
    long before = usedAfterGc();
    for (int i = 0; i < n; i++) {
      Map<String, String> q = new HashMap<>();
      q.put(new String("cpu"), "500m");
      q.put(new String("memory"), (i % 7 + 1) + "Gi");
      keep[i] = Resources.parse(q);
    }
    long perInstance = (usedAfterGc() - before) / n;
    assertThat(keep[n - 1]).isNotNull();
    assertThat(perInstance).isLessThan(120);
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static void assertModel(Resources r, TreeMap<String, Long> model) {
    assertThat(r.asMap()).isEqualTo(model);
    assertThat(new ArrayList<>(r.asMap().entrySet())).isEqualTo(new ArrayList<>(model.entrySet()));
    assertThat(r.hashCode()).isEqualTo(model.hashCode());
    assertThat(r.isEmpty()).isEqualTo(model.isEmpty());
    assertThat(r).isEqualTo(Resources.of(model));
    for (String n : NAMES) {
      assertThat(r.get(new String(n))).isEqualTo(model.getOrDefault(n, 0L));
      assertThat(r.has(new String(n))).isEqualTo(model.containsKey(n));
    }
    TreeMap<String, String> q = new TreeMap<>();
    model.forEach((k, v) -> q.put(k, Quantities.format(k, v)));
    assertThat(r.toQuantities()).isEqualTo(q);
    assertThat(r.toString()).isEqualTo(q.toString());
  }

  private static TreeMap<String, Long> randomAmounts(Random rnd) {
    TreeMap<String, Long> m = new TreeMap<>();
    for (String n : NAMES) {
      if (rnd.nextInt(3) == 0) {
        m.put(n, (long) rnd.nextInt(2001) - 1000);
      }
    }
    return m;
  }

  private static Map<String, Long> copyWithFreshNames(Map<String, Long> m) {
    Map<String, Long> out = new HashMap<>();
    m.forEach((k, v) -> out.put(new String(k), v));
    return out;
  }

  private static TreeMap<String, Long> merged(Map<String, Long> a, Map<String, Long> b, int sign) {
    TreeMap<String, Long> m = new TreeMap<>(a);
    b.forEach((k, v) -> m.merge(k, sign * v, Long::sum));
    return m;
  }
}
