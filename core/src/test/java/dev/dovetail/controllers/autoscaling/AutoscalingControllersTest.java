package dev.dovetail.controllers.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AutoscalingControllersTest {
  @Test
  void prometheusUriIsOptionalAndMustBeHttp() {
    assertThat(AutoscalingControllers.prometheusUri("")).isEmpty();
    assertThat(AutoscalingControllers.prometheusUri(null)).isEmpty();
    assertThat(AutoscalingControllers.prometheusUri("http://prometheus.monitoring:9090"))
        .contains(URI.create("http://prometheus.monitoring:9090"));
    assertThatThrownBy(() -> AutoscalingControllers.prometheusUri("prometheus:9090"))
        .hasMessageContaining("--prometheus-uri (PROMETHEUS_URI) must be an http(s) URI");
    assertThatThrownBy(() -> AutoscalingControllers.prometheusUri("http://bad uri"))
        .hasMessageContaining("--prometheus-uri");
  }
}
