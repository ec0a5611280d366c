package dev.dovetail.chart;

import static dev.dovetail.chart.RenderedChart.sets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid values fail at `helm template` / `helm install` time with a message that names the value
 * to fix, through values.schema.json and, for rules across fields, the templates.
 */
class ValuesValidationTest {

  static Stream<Arguments> invalidSets() {
    return Stream.of(
        Arguments.of(
            "third-party provider without its NodeClass",
            sets("provider", "oracle", "settings.clusterName", "demo"),
            new String[] {
              "provider=oracle is not one of the official plugins"
                  + " (aws, azure, gcp, clusterapi, simulated)",
              "providerNodeClasses"
            }),
        Arguments.of(
            "aws without region",
            sets("provider", "aws", "settings.clusterName", "demo"),
            new String[] {"at '/settings/aws/region'", "minLength: got 0, want 1"}),
        Arguments.of(
            "aws without cluster name",
            sets("provider", "aws", "settings.aws.region", "eu-west-1"),
            new String[] {"at '/settings/clusterName'", "minLength: got 0, want 1"}),
        Arguments.of(
            "azure without subscription",
            sets("provider", "azure", "settings.clusterName", "demo"),
            new String[] {"at '/settings/azure/subscriptionID'", "minLength: got 0, want 1"}),
        Arguments.of(
            "gcp without project",
            sets("provider", "gcp", "settings.clusterName", "demo"),
            new String[] {"at '/settings/gcp/project'", "minLength: got 0, want 1"}),
        Arguments.of(
            "clusterapi without cluster name",
            sets("provider", "clusterapi"),
            new String[] {"at '/settings/clusterName'", "minLength: got 0, want 1"}),
        Arguments.of(
            "bad log format",
            sets("logFormat", "xml"),
            new String[] {"at '/logFormat'", "value must be one of 'json', 'text'"}),
        Arguments.of(
            "bad log level",
            sets("logLevel", "verbose"),
            new String[] {"at '/logLevel'", "'debug', 'info', 'warn', 'error'"}),
        Arguments.of(
            "bad batch duration",
            sets("settings.batchMaxDuration", "ten seconds"),
            new String[] {"at '/settings/batchMaxDuration'", "does not match pattern"}),
        Arguments.of(
            "no NodeClaim creates per second",
            sets("settings.kubeClientQPS", 0),
            new String[] {"at '/settings/kubeClientQPS'", "minimum: got 0, want 1"}),
        Arguments.of(
            "a burst that is no number",
            sets("settings.kubeClientBurst", "lots"),
            new String[] {"at '/settings/kubeClientBurst'", "want integer"}),
        Arguments.of(
            "zero replicas",
            sets("replicas", 0),
            new String[] {"at '/replicas'", "minimum: got 0, want 1"}),
        Arguments.of(
            "misspelt top-level value",
            sets("replica", 3),
            new String[] {"additional properties 'replica' not allowed"}),
        Arguments.of(
            "several replicas without leader election",
            sets("replicas", 3, "leaderElection.enabled", false),
            new String[] {"replicas=3 needs leaderElection.enabled=true"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSets")
  void failsWithAMessageNamingTheValue(String title, Map<String, Object> sets, String[] expected) {
    assertThatThrownBy(() -> RenderedChart.template(sets, null)).hasMessageContainingAll(expected);
  }

  @Test
  void aRealCloudNeedsItsSettingsEvenWhenTheDefaultsWouldLintForTheSimulatedOne() {
    // Both required settings of aws are reported at once.
    assertThatThrownBy(() -> RenderedChart.template(sets("provider", "aws"), null))
        .hasMessageContainingAll("'/settings/clusterName'", "'/settings/aws/region'");
  }

  static Stream<Arguments> invalidPlugins() {
    return Stream.of(
        Arguments.of(
            "neither image nor volume",
            """
            extraPlugins:
              - name: lost
                path: /plugins/lost.jar
            """,
            new String[] {
              "at '/extraPlugins/0'", "missing property 'image'", "missing property 'volume'"
            }),
        Arguments.of(
            "both image and volume",
            """
            extraPlugins:
              - name: both
                image: registry.example.com/p:1
                path: /p.jar
                volume: {emptyDir: {}}
            """,
            new String[] {"at '/extraPlugins/0'", "'oneOf' failed, subschemas 0, 1 matched"}),
        Arguments.of(
            "image without path or command",
            """
            extraPlugins:
              - name: nopath
                image: registry.example.com/p:1
            """,
            new String[] {"at '/extraPlugins/0'", "missing property 'path'"}),
        Arguments.of(
            "name that is no DNS label",
            """
            extraPlugins:
              - name: My_Plugin
                image: registry.example.com/p:1
                path: /p.jar
            """,
            new String[] {"at '/extraPlugins/0/name'", "does not match pattern"}),
        Arguments.of(
            "the same name twice",
            """
            extraPlugins:
              - name: twin
                image: registry.example.com/p:1
                path: /p.jar
              - name: twin
                volume: {emptyDir: {}}
            """,
            new String[] {"extraPlugins: the name \"twin\" is used twice"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPlugins")
  void rejectsMalformedExtraPlugins(String title, String values, String[] expected) {
    assertThatThrownBy(() -> RenderedChart.template(Provider.AWS.validSets(), values))
        .hasMessageContainingAll(expected);
  }

  @Test
  void acceptsEveryProviderWithItsRequiredSettings() {
    for (Provider provider : Provider.values()) {
      assertThat(RenderedChart.render(provider.validSets()).deployment())
          .as(provider.id)
          .isNotNull();
    }
  }
}
