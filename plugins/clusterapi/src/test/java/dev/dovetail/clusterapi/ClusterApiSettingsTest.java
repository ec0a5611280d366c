package dev.dovetail.clusterapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterApiSettingsTest {
  private static ProviderContext ctx(Map<String, String> settings) {
    return new ProviderContext(
        "c", settings, Clock.systemUTC(), NodeRegistrar.NONE, InterruptionListener.IGNORE);
  }

  @Test
  void defaultsUseTheSameClusterAndDiscoverTheVersion() {
    ClusterApiSettings s = ClusterApiSettings.from(ctx(Map.of()));
    assertThat(s.managementKubeconfig()).isEmpty();
    assertThat(s.capiVersion()).isEmpty();
    assertThat(s.pricePerVcpu()).isEqualTo(ClusterApiSettings.DEFAULT_PRICE_PER_VCPU);
    assertThat(s.registrationTtl()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void theChartsEnvironmentNamesAreRead() {
    ClusterApiSettings s =
        ClusterApiSettings.from(
            ctx(
                Map.of(
                    "MANAGEMENT_KUBECONFIG", "/etc/k",
                    "NAMESPACE", "capi",
                    "price-per-vcpu", "0.1",
                    "registrationTtl", "PT20M",
                    "machineWait", "250ms")));
    assertThat(s.managementKubeconfig()).contains("/etc/k");
    assertThat(s.namespace()).contains("capi");
    assertThat(s.pricePerVcpu()).isEqualTo(0.1);
    assertThat(s.registrationTtl()).isEqualTo(Duration.ofMinutes(20));
    assertThat(s.machineWait()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void invalidValuesNameTheSetting() {
    assertThatThrownBy(() -> ClusterApiSettings.from(ctx(Map.of("pricePerGib", "cheap"))))
        .hasMessageContaining("pricePerGib");
    assertThatThrownBy(() -> ClusterApiSettings.from(ctx(Map.of("sweepInterval", "often"))))
        .hasMessageContaining("sweepInterval");
    assertThatThrownBy(() -> ClusterApiSettings.from(ctx(Map.of("capiVersion", "v1alpha4"))))
        .hasMessageContaining("capiVersion");
  }
}
