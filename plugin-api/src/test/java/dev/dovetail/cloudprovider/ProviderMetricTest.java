package dev.dovetail.cloudprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderMetricTest {
  @Test
  void namesMustBePrometheusNamesWithTheSuffixOfTheirType() {
    assertThatThrownBy(() -> ProviderMetric.gauge("not a name", "", Map.of(), 1))
        .hasMessageContaining("not a name");
    assertThatThrownBy(() -> ProviderMetric.counter("x_messages", "", Map.of(), 1))
        .hasMessageContaining("_total");
    assertThatThrownBy(() -> ProviderMetric.summary("x_duration", "", Map.of(), 1, 1))
        .hasMessageContaining("_seconds");
  }

  @Test
  void missingHelpAndLabelsAreEmpty() {
    ProviderMetric m = new ProviderMetric("x_total", ProviderMetric.Type.COUNTER, null, null, 2, 0);
    assertThat(m.help()).isEmpty();
    assertThat(m.labels()).isEmpty();
  }

  @Test
  void aProviderReportsNoMetricsByDefault() {
    CloudProvider provider =
        (CloudProvider)
            java.lang.reflect.Proxy.newProxyInstance(
                CloudProvider.class.getClassLoader(),
                new Class<?>[] {CloudProvider.class},
                (proxy, method, args) ->
                    method.isDefault()
                        ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args)
                        : null);
    assertThat(provider.metrics()).isEmpty();
  }
}
