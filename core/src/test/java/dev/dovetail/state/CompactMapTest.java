package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** A compact map reads as the map it was made from, in its order, and cannot be changed. */
class CompactMapTest {

  private static Map<String, String> labels() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("karpenter.sh/nodepool", "default");
    m.put("kubernetes.io/arch", "arm64");
    m.put("app", "web");
    return m;
  }

  @Test
  void readsAsTheMapItWasMadeFromInItsOrder() {
    Map<String, String> source = labels();
    Map<String, String> compact = CompactMap.of(source);

    assertThat(compact).isInstanceOf(CompactMap.class).isEqualTo(source).hasSize(3);
    assertThat(compact.hashCode()).isEqualTo(source.hashCode());
    assertThat(source).isEqualTo(compact);
    assertThat(List.copyOf(compact.keySet())).containsExactlyElementsOf(source.keySet());
    assertThat(List.copyOf(compact.values())).containsExactlyElementsOf(source.values());
    assertThat(compact.keySet()).contains("app").doesNotContain("tier").hasSize(3);
    assertThat(compact.values()).hasSize(3);
    assertThatThrownBy(() -> compact.keySet().remove("app"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> compact.values().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    // a key equal to one held but not the same string object
    assertThat(compact.get(new String("app"))).isEqualTo("web");
    assertThat(compact.containsKey("kubernetes.io/arch")).isTrue();
    assertThat(compact.get("missing")).isNull();
    assertThat(compact.get(null)).isNull();
    assertThat(compact.containsKey(7)).isFalse();
    Map<String, String> visited = new LinkedHashMap<>();
    compact.forEach(visited::put);
    assertThat(List.copyOf(visited.keySet())).containsExactlyElementsOf(source.keySet());
  }

  @Test
  void cannotBeChanged() {
    Map<String, String> compact = CompactMap.of(labels());
    assertThatThrownBy(() -> compact.put("app", "api"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> compact.remove("app"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(compact::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> compact.entrySet().iterator().next().setValue("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(compact).containsEntry("app", "web");
  }

  @Test
  void aMapWithANullIsKeptAsItIs() {
    Map<String, String> withNull = new HashMap<>(labels());
    withNull.put("empty", null);
    assertThat(CompactMap.of(withNull)).isSameAs(withNull);
  }

  @Property
  void anyMapReadsTheSame(@ForAll @Size(max = 40) Map<String, Integer> source) {
    Map<String, Integer> compact = CompactMap.of(new LinkedHashMap<>(source));
    assertThat(compact).isEqualTo(source);
    assertThat(compact.hashCode()).isEqualTo(source.hashCode());
    for (String k : source.keySet()) {
      assertThat(compact.get(k)).isEqualTo(source.get(k));
    }
  }
}
