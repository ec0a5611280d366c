package dev.dovetail.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Metrics-driven autoscaling (autoscaling.karpenter.sh/v1alpha1) is off by default; {@code
 * autoscaling.enabled} turns on the controllers and grants exactly what they use, and the CRDs in
 * crds/ carry the status and scale subresources the controllers and HorizontalAutoscalers write.
 */
class AutoscalingTest {

  static List<EnvVar> env(RenderedChart chart) {
    return chart.deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
  }

  @Test
  void offByDefault() {
    RenderedChart chart = RenderedChart.render(Provider.AWS.validSets());
    assertThat(env(chart)).noneMatch(e -> e.getName().equals("AUTOSCALING_ENABLED"));
    assertThat(chart.all(ClusterRole.class))
        .noneMatch(r -> r.getMetadata().getName().endsWith("-autoscaling"));
  }

  @Test
  void enabledRunsTheControllersWithTheirRbac() {
    RenderedChart chart =
        RenderedChart.render(
            Provider.AWS.validSets(),
            """
            autoscaling:
              enabled: true
              prometheusUri: http://prometheus-server.monitoring:9090
            """);
    assertThat(env(chart))
        .anySatisfy(e -> assertThat(e).isEqualTo(new EnvVar("AUTOSCALING_ENABLED", "true", null)))
        .anySatisfy(
            e ->
                assertThat(e)
                    .isEqualTo(
                        new EnvVar(
                            "PROMETHEUS_URI", "http://prometheus-server.monitoring:9090", null)));
    Map<String, Set<String>> grants =
        Rules.flatten(
            chart.all(ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().endsWith("-autoscaling"))
                .flatMap(r -> r.getRules().stream())
                .toList());
    for (String plural :
        List.of("horizontalautoscalers", "metricsproducers", "scalablenodegroups")) {
      assertThat(grants.get("autoscaling.karpenter.sh/" + plural)).contains("list", "update");
      assertThat(grants.get("autoscaling.karpenter.sh/" + plural + "/status")).contains("update");
    }
    assertThat(grants.get("apps/deployments")).contains("get", "update");
    assertThat(grants.get("cluster.x-k8s.io/machinedeployments")).contains("get", "update");
  }

  @Test
  void theCrdsAreNamespacedAndScalableNodeGroupHasAScaleSubresource() throws Exception {
    List<CustomResourceDefinition> crds =
        CrdsTest.crds().stream()
            .filter(c -> c.getSpec().getGroup().equals("autoscaling.karpenter.sh"))
            .toList();
    assertThat(crds)
        .extracting(c -> c.getSpec().getNames().getKind())
        .containsExactlyInAnyOrder("HorizontalAutoscaler", "MetricsProducer", "ScalableNodeGroup");
    for (CustomResourceDefinition crd : crds) {
      assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
      assertThat(crd.getSpec().getVersions().get(0).getName()).isEqualTo("v1alpha1");
      assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
    }
    var sng =
        crds.stream()
            .filter(c -> c.getSpec().getNames().getKind().equals("ScalableNodeGroup"))
            .findFirst()
            .orElseThrow();
    var scale = sng.getSpec().getVersions().get(0).getSubresources().getScale();
    assertThat(scale.getSpecReplicasPath()).isEqualTo(".spec.replicas");
    assertThat(scale.getStatusReplicasPath()).isEqualTo(".status.replicas");
  }
}
