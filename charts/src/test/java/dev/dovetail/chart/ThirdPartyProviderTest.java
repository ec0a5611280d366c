package dev.dovetail.chart;

import static dev.dovetail.chart.RenderedChart.sets;
import static dev.dovetail.chart.Rules.verbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A provider that is not one of the official plugins (the starter's {@code tinycloud}), installed
 * with one set of values: its plugin from an image, its name as {@code provider}, its NodeClass
 * RBAC from {@code providerNodeClasses}, its settings as environment.
 */
class ThirdPartyProviderTest {

  private static final String TINYCLOUD =
      """
      provider: tinycloud
      extraPlugins:
        - name: tinycloud
          image: registry.example.com/tinycloud-plugin:0.1.0
          path: /plugins/tinycloud-plugin-0.1.0.jar
      providerNodeClasses:
        - group: tinycloud.example.com
          resource: tinynodeclasses
      settings:
        clusterName: demo
        tinycloud:
          region: tiny-1
          apiEndpoint: https://api.tiny.example.com
      """;

  @Test
  void rendersTheThirdPartyProviderWithItsPluginSettingsAndNodeClassRbac() {
    RenderedChart chart = RenderedChart.render(Map.of(), TINYCLOUD);
    Container controller = DeploymentTest.controller(chart.deployment());

    assertThat(controller.getArgs())
        .containsExactly(
            "run",
            "--provider",
            "tinycloud",
            "--plugins-dir",
            "/opt/dovetail/plugins",
            "--plugins-dir",
            "/opt/dovetail/plugins-extra");
    assertThat(chart.deployment().getSpec().getTemplate().getSpec().getInitContainers())
        .singleElement()
        .satisfies(
            init ->
                assertThat(init.getImage())
                    .isEqualTo("registry.example.com/tinycloud-plugin:0.1.0"));
    Map<String, String> providerEnv =
        ProviderRenderingTest.env(controller).entrySet().stream()
            .filter(e -> e.getKey().startsWith("DOVETAIL_PROVIDER_"))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(providerEnv)
        .isEqualTo(
            Map.of(
                "DOVETAIL_PROVIDER_REGION", "tiny-1",
                "DOVETAIL_PROVIDER_API_ENDPOINT", "https://api.tiny.example.com"));

    ClusterRole role =
        chart.all(ClusterRole.class).stream()
            .filter(r -> r.getMetadata().getName().equals(RenderedChart.RELEASE + "-tinycloud"))
            .findFirst()
            .orElseThrow();
    assertThat(Rules.flatten(role.getRules()))
        .isEqualTo(
            new TreeMap<>(
                Map.of(
                    "tinycloud.example.com/tinynodeclasses",
                    verbs("get", "list", "watch", "patch", "update"),
                    "tinycloud.example.com/tinynodeclasses/status",
                    verbs("patch", "update"))));
    for (Provider official : Provider.values()) {
      if (official.nodeClassGroup != null) {
        assertThat(Rules.flatten(chart.clusterRules()).keySet())
            .noneMatch(g -> g.startsWith(official.nodeClassGroup + "/"));
      }
    }
  }

  @Test
  void anOfficialProviderCanBeGrantedAnExtraNodeClassToo() {
    RenderedChart chart =
        RenderedChart.render(
            Provider.AWS.validSets(),
            """
            providerNodeClasses:
              - group: experimental.example.com
                resource: fastnodeclasses
            """);
    assertThat(Rules.flatten(chart.clusterRules()))
        .containsEntry(
            "experimental.example.com/fastnodeclasses",
            verbs("get", "list", "watch", "patch", "update"))
        .containsKey("karpenter.k8s.aws/ec2nodeclasses");
  }

  @Test
  void aThirdPartyProviderWithoutItsNodeClassIsRefusedWithWhatToSet() {
    assertThatThrownBy(
            () ->
                RenderedChart.template(
                    sets("provider", "tinycloud", "settings.clusterName", "x"), null))
        .hasMessageContaining("provider=tinycloud is not one of the official plugins")
        .hasMessageContaining("providerNodeClasses");
  }

  @Test
  void aProviderNameMustBeAPluginId() {
    assertThatThrownBy(() -> RenderedChart.template(sets("provider", "Tiny Cloud"), null))
        .hasMessageContaining("at '/provider'")
        .hasMessageContaining("does not match pattern");
    assertThatThrownBy(
            () ->
                RenderedChart.template(
                    Map.of(),
                    """
                    providerNodeClasses:
                      - group: tinycloud
                        resource: TinyNodeClasses
                    """))
        .hasMessageContaining("providerNodeClasses");
  }
}
