package dev.dovetail.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InterruptionEvent;
import dev.dovetail.cloudprovider.ProviderMetric;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A provider's {@code metrics()} hook, polled into the core's Prometheus registry. */
class ProviderMetricsTest {
  private final List<ProviderMetric> reported = new ArrayList<>();
  private final SimulatedCloud provider =
      new SimulatedCloud() {
        @Override
        public List<ProviderMetric> metrics() {
          return List.copyOf(reported);
        }
      };
  private final Metrics metrics = new Metrics();

  @Test
  void countersSummariesAndGaugesAreScrapedUnderTheProvidersNamesWithTheLatestValues() {
    report(3, 270.0, 3, 7);
    metrics.refreshProvider(provider);
    assertThat(scrape())
        .contains("karpenter_interruption_deleted_messages_total 3.0")
        .contains("karpenter_interruption_message_queue_duration_seconds_count 3.0")
        .contains("karpenter_interruption_message_queue_duration_seconds_sum 270.0")
        .contains("dovetail_test_queue_depth{queue=\"q\",} 7.0");

    report(5, 300.0, 5, 0);
    metrics.refreshProvider(provider);
    assertThat(scrape())
        .contains("karpenter_interruption_deleted_messages_total 5.0")
        .contains("karpenter_interruption_message_queue_duration_seconds_count 5.0")
        .contains("karpenter_interruption_message_queue_duration_seconds_sum 300.0")
        .contains("dovetail_test_queue_depth{queue=\"q\",} 0.0");
  }

  @Test
  void aNameTheCorePublishesItselfIsRefusedAndTheCoresSeriesIsUntouched() {
    metrics.interruptions().received(InterruptionEvent.Kind.SPOT_INTERRUPTION);
    reported.add(
        ProviderMetric.counter("karpenter_interruption_received_messages_total", "", Map.of(), 99));
    reported.add(
        ProviderMetric.counter("karpenter_interruption_deleted_messages_total", "", Map.of(), 1));
    metrics.refreshProvider(provider);
    metrics.refreshProvider(provider);
    String text = scrape();
    assertThat(text)
        .contains(
            "karpenter_interruption_received_messages_total{message_type=\"spot_interrupted\",} 1.0")
        .doesNotContain("99.0")
        .contains("karpenter_interruption_deleted_messages_total 1.0");
  }

  @Test
  void theSameNameWithOtherLabelKeysIsSkippedNotFatal() {
    reported.add(ProviderMetric.gauge("dovetail_test_x", "", Map.of("a", "1"), 1));
    reported.add(ProviderMetric.gauge("dovetail_test_x", "", Map.of("b", "2"), 2));
    metrics.refreshProvider(provider);
    assertThat(scrape()).contains("dovetail_test_x{a=\"1\",} 1.0").doesNotContain("b=\"2\"");
  }

  @Test
  void theMeteringDecoratorTheRunCommandWrapsAroundThePluginPassesThemThrough() {
    report(1, 2.0, 1, 3);
    metrics.refreshProvider(new MeteredCloudProvider(provider, metrics.registry()));
    assertThat(scrape()).contains("karpenter_interruption_deleted_messages_total 1.0");
  }

  @Test
  void aProviderWithoutMetricsAddsNothing() {
    String before = scrape();
    metrics.refreshProvider(new SimulatedCloud());
    assertThat(scrape()).isEqualTo(before);
  }

  private void report(long deleted, double queueSeconds, long queued, double depth) {
    reported.clear();
    reported.add(
        ProviderMetric.counter(
            "karpenter_interruption_deleted_messages_total", "deleted", Map.of(), deleted));
    reported.add(
        ProviderMetric.summary(
            "karpenter_interruption_message_queue_duration_seconds",
            "queued",
            Map.of(),
            queueSeconds,
            queued));
    reported.add(
        ProviderMetric.gauge("dovetail_test_queue_depth", "depth", Map.of("queue", "q"), depth));
  }

  private String scrape() {
    return metrics.registry().scrape();
  }
}
