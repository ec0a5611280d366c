package dev.dovetail.aws.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TomlTest {
  @Test
  void invalidTomlIsRefusedWithThePosition() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Toml.parse("[settings\nfoo = "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid TOML");
  }

  @Test
  void roundTripsTablesQuotedKeysArraysAndInlineTables() throws Exception {
    String src =
        """
        title = 'literal'
        [settings.kubernetes]
        "cluster-name" = "a \\"quoted\\" name"
        max-pods = 1_10
        ratio = 0.5
        flags = [ "a",
          "b" ]  # trailing comment
        point = { x = 1, y = "two" }
        [[settings.bootstrap.list]]
        name = "one"
        [[settings.bootstrap.list]]
        name = "two"
        """;
    Map<String, Object> doc = Toml.parse(src);
    String written = Toml.write(doc);
    Map<String, Object> again = Toml.parse(written);
    assertThat(again.get("title")).isEqualTo("literal");
    @SuppressWarnings("unchecked")
    Map<String, Object> k8s =
        (Map<String, Object>) ((Map<String, Object>) again.get("settings")).get("kubernetes");
    assertThat(k8s)
        .containsEntry("cluster-name", "a \"quoted\" name")
        .containsEntry("flags", List.of("a", "b"));
    assertThat(((Number) k8s.get("ratio")).doubleValue()).isEqualTo(0.5);
    assertThat(((Number) k8s.get("max-pods")).longValue()).isEqualTo(110L);
    assertThat(k8s.get("point")).isEqualTo(Map.of("x", 1, "y", "two"));
    @SuppressWarnings("unchecked")
    Map<String, Object> bootstrap =
        (Map<String, Object>) ((Map<String, Object>) again.get("settings")).get("bootstrap");
    assertThat(bootstrap.get("list"))
        .isEqualTo(List.of(Map.of("name", "one"), Map.of("name", "two")));
    // The writer's output is TOML another parser accepts.
    assertThat(
            new TomlMapper()
                .readTree(written)
                .path("settings")
                .path("kubernetes")
                .path("max-pods")
                .asInt())
        .isEqualTo(110);
  }
}
