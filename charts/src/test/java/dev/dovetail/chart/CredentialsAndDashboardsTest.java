package dev.dovetail.chart;

import static dev.dovetail.chart.RenderedChart.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Static keys only through a Secret reference; Grafana dashboards as sidecar ConfigMaps. */
class CredentialsAndDashboardsTest {

  /**
   * The metric names the controller exports (core's Metrics, MeteredCloudProvider), as Prometheus
   * prints them; a dashboard may only chart these.
   */
  static final Set<String> EXPORTED =
      Set.of(
          "karpenter_cloudprovider_duration_seconds",
          "karpenter_cloudprovider_errors_total",
          "karpenter_cluster_state_node_count",
          "karpenter_cluster_state_synced",
          "karpenter_interruption_actions_performed_total",
          "karpenter_interruption_received_messages_total",
          "karpenter_nodeclaims_created_total",
          "karpenter_nodeclaims_disrupted_total",
          "karpenter_nodeclaims_terminated_total",
          "karpenter_nodepools_cost_total",
          "karpenter_nodepools_limit",
          "karpenter_nodepools_usage",
          "karpenter_nodes_allocatable",
          "karpenter_nodepools_allowed_disruptions",
          "karpenter_nodes_drained_total",
          "karpenter_nodes_eviction_requests_total",
          "karpenter_nodes_termination_duration_seconds",
          "karpenter_pods_startup_duration_seconds",
          "karpenter_pods_state",
          "karpenter_scheduler_queue_depth",
          "karpenter_scheduler_scheduling_duration_seconds",
          "karpenter_scheduler_unschedulable_pods_count",
          "karpenter_voluntary_disruption_decisions_total",
          "dovetail_controller_errors_total",
          "dovetail_nodepool_cost_per_hour");

  @Test
  void staticKeysInPlainValuesAreRefusedNamingTheSecretWay() {
    Map<String, Object> sets = new HashMap<>(Provider.AWS.validSets());
    sets.put("settings.aws.secretAccessKey", "wJalrXUtnFEMI");
    assertThatThrownBy(() -> RenderedChart.template(sets, null))
        .hasMessageContaining("settings.aws.secretAccessKey")
        .hasMessageContaining("credentials.existingSecret");
  }

  @Test
  void anExistingSecretIsReferencedNeverCopied() {
    Map<String, Object> sets = new HashMap<>(Provider.AWS.validSets());
    sets.put("credentials.existingSecret", "aws-keys");
    Container c = DeploymentTest.controller(render(sets).deployment());
    assertThat(c.getEnvFrom()).hasSize(1);
    assertThat(c.getEnvFrom().get(0).getSecretRef().getName()).isEqualTo("aws-keys");
    assertThat(c.getEnv()).extracting(EnvVar::getName).noneMatch(n -> n.contains("SECRET"));
    assertThat(
            DeploymentTest.controller(render(Provider.AWS.validSets()).deployment()).getEnvFrom())
        .isNullOrEmpty();
  }

  @Test
  void dashboardsAreSidecarConfigMapsBuiltOnExportedMetrics() throws Exception {
    assertThat(render(Provider.AWS.validSets()).all(ConfigMap.class)).isEmpty();
    Map<String, Object> sets = new HashMap<>(Provider.AWS.validSets());
    sets.put("dashboards.enabled", "true");
    List<ConfigMap> maps = render(sets).all(ConfigMap.class);
    assertThat(maps)
        .extracting(m -> m.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "dovetail-capacity-dashboard",
            "dovetail-performance-dashboard",
            "dovetail-cost-dashboard");
    ObjectMapper json = new ObjectMapper();
    Pattern metric = Pattern.compile("\\b((?:karpenter|dovetail)_[a-z_]+)");
    Set<String> used = new TreeSet<>();
    for (ConfigMap m : maps) {
      assertThat(m.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
      assertThat(m.getData()).hasSize(1);
      JsonNode dashboard = json.readTree(m.getData().values().iterator().next());
      assertThat(dashboard.get("panels").size()).isPositive();
      for (JsonNode panel : dashboard.get("panels")) {
        for (JsonNode target : panel.get("targets")) {
          Matcher x = metric.matcher(target.get("expr").asText());
          while (x.find()) {
            String name = x.group(1);
            used.add(EXPORTED.contains(name) ? name : name.replaceAll("_(bucket|count|sum)$", ""));
          }
        }
      }
    }
    assertThat(EXPORTED).containsAll(used);
    assertThat(used)
        .contains("karpenter_nodepools_cost_total", "karpenter_cluster_state_node_count");
  }
}
