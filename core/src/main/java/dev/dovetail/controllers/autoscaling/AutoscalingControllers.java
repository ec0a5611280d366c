package dev.dovetail.controllers.autoscaling;

import dev.dovetail.controllers.autoscaling.horizontalautoscaler.HorizontalAutoscalerController;
import dev.dovetail.controllers.autoscaling.horizontalautoscaler.PrometheusClient;
import dev.dovetail.controllers.autoscaling.metricsproducer.MetricsProducerController;
import dev.dovetail.controllers.autoscaling.metricsproducer.ProducerGauges;
import dev.dovetail.controllers.autoscaling.scalablenodegroup.ScalableNodeGroupController;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Karpenter v0.1's metrics-driven autoscaling controllers (HorizontalAutoscaler, MetricsProducer,
 * ScalableNodeGroup), started together by the operator when {@code --autoscaling} is on. Without
 * {@code --prometheus-uri} the HorizontalAutoscaler controller does not run (it has nothing to
 * query); the other two do.
 *
 * @param provider the plugin's provider itself (not a wrapper), so its optional extensions ({@code
 *     NodeGroupScaler}, {@code QueueMetrics}) are visible to {@code instanceof}
 */
public record AutoscalingControllers(
    Optional<URI> prometheusUri, Object provider, String providerName, MeterRegistry registry) {
  private static final Logger LOG = LoggerFactory.getLogger(AutoscalingControllers.class);

  static final Duration HORIZONTAL_AUTOSCALER_PERIOD = Duration.ofSeconds(10);
  static final Duration METRICS_PRODUCER_PERIOD = Duration.ofSeconds(10);
  static final Duration SCALABLE_NODE_GROUP_PERIOD = Duration.ofSeconds(60);

  /**
   * Reads {@code --prometheus-uri}: blank means none.
   *
   * @throws IllegalArgumentException naming the flag when it is not an http(s) URI
   */
  public static Optional<URI> prometheusUri(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      URI uri = URI.create(text.trim());
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URI");
      }
      return Optional.of(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--prometheus-uri (PROMETHEUS_URI) must be an http(s) URI like"
              + " http://prometheus-server.monitoring:9090, got '"
              + text
              + "'",
          e);
    }
  }

  /** Starts the controllers; closing the result stops them. */
  public AutoCloseable start(KubernetesClient client, Clock clock) {
    List<AutoCloseable> started = new ArrayList<>();
    if (prometheusUri.isPresent()) {
      started.add(
          new HorizontalAutoscalerController(
                  client, new PrometheusClient(prometheusUri.get(), Duration.ofSeconds(10)), clock)
              .start(HORIZONTAL_AUTOSCALER_PERIOD));
    } else {
      LOG.warn("autoscaling: no --prometheus-uri; HorizontalAutoscalers are not reconciled");
    }
    started.add(
        new MetricsProducerController(
                client, provider, providerName, new ProducerGauges(registry), clock)
            .start(METRICS_PRODUCER_PERIOD));
    started.add(
        new ScalableNodeGroupController(client, provider, providerName, clock)
            .start(SCALABLE_NODE_GROUP_PERIOD));
    LOG.info("autoscaling.karpenter.sh/v1alpha1 controllers started");
    return () -> {
      for (AutoCloseable c : started) {
        c.close();
      }
    };
  }
}
