package dev.dovetail.chart;

import static dev.dovetail.chart.DeploymentTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Prometheus Operator ServiceMonitor is opt-in and scrapes the Service's metrics port. */
class ServiceMonitorTest {

  @Test
  void isAbsentByDefault() {
    RenderedChart chart = RenderedChart.render(Provider.AWS.validSets());

    assertThat(chart.generic("ServiceMonitor")).isEmpty();
    assertThat(chart.objects())
        .noneMatch(o -> o.getApiVersion().startsWith("monitoring.coreos.com"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void whenEnabledScrapesTheMetricsPortOfTheControllerService() {
    String values =
        """
        serviceMonitor:
          enabled: true
          interval: 15s
          additionalLabels:
            release: kube-prometheus-stack
        """;
    RenderedChart chart = RenderedChart.render(Provider.AWS.validSets(), values);
    GenericKubernetesResource monitor = chart.generic("ServiceMonitor").orElseThrow();
    Service service = chart.one(Service.class);

    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    Map<String, Object> selector = (Map<String, Object>) spec.get("selector");
    // The monitor selects the Service (its labels include the selector labels).
    assertThat(service.getMetadata().getLabels())
        .containsAllEntriesOf((Map<String, String>) selector.get("matchLabels"));
    assertThat((Map<String, Object>) spec.get("namespaceSelector"))
        .containsEntry("matchNames", List.of(RenderedChart.NAMESPACE));
    List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e)
                    .containsEntry("port", service.getSpec().getPorts().get(0).getName())
                    .containsEntry("port", "http-metrics")
                    .containsEntry("path", "/metrics")
                    .containsEntry("interval", "15s"));
  }

  @Test
  void canBeSwitchedOffAgain() {
    RenderedChart chart =
        RenderedChart.render(with(Provider.GCP.validSets(), "serviceMonitor.enabled", false));

    assertThat(chart.generic("ServiceMonitor")).isEmpty();
  }
}
