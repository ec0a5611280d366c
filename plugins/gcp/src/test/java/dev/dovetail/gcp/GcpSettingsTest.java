package dev.dovetail.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcpSettingsTest {
  private static ProviderContext ctx(Map<String, String> s) {
    return new ProviderContext(
        "demo", s, Clock.systemUTC(), NodeRegistrar.NONE, InterruptionListener.IGNORE);
  }

  private static Map<String, String> minimal() {
    Map<String, String> s = new HashMap<>();
    s.put("project", "p1");
    s.put("region", "us-central1");
    return s;
  }

  @Test
  void missingProjectFailsStartNamingTheSetting() {
    Map<String, String> s = minimal();
    s.remove("project");
    GcpCloudProvider provider = new GcpCloudProvider();
    assertThatThrownBy(() -> provider.start(ctx(s)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'project'");
  }

  @Test
  void missingRegionNamesTheSetting() {
    Map<String, String> s = minimal();
    s.put("region", " ");
    assertThatThrownBy(() -> GcpSettings.from(ctx(s))).hasMessageContaining("'region'");
  }

  @Test
  void defaultsAndEnvironmentStyleNames() {
    Map<String, String> s = new HashMap<>();
    s.put("PROJECT", "p1");
    s.put("region", "us-central1");
    s.put("cluster-location", "us-central1-f");
    s.put("SUBNETWORK", "nodes");
    GcpSettings g = GcpSettings.from(ctx(s));
    assertThat(g.project()).isEqualTo("p1");
    assertThat(g.clusterName()).isEqualTo("demo");
    assertThat(g.clusterLocation()).isEqualTo("us-central1-f");
    assertThat(g.subnetworkPath()).isEqualTo("projects/p1/regions/us-central1/subnetworks/nodes");
    assertThat(g.zones()).isEmpty();
    assertThat(g.endpoint()).isEmpty();
    assertThat(g.maxAttempts()).isEqualTo(5);
  }

  @Test
  void theChartsLocationGivesRegionAndClusterLocation() {
    Map<String, String> s = new HashMap<>();
    s.put("project", "p1");
    s.put("location", "europe-west4-b");
    GcpSettings g = GcpSettings.from(ctx(s));
    assertThat(g.region()).isEqualTo("europe-west4");
    assertThat(g.clusterLocation()).isEqualTo("europe-west4-b");
    s.put("location", "us-east1");
    assertThat(GcpSettings.from(ctx(s)).region()).isEqualTo("us-east1");
  }

  @Test
  void durationsAndZonesAreChecked() {
    Map<String, String> s = minimal();
    s.put("operationTimeout", "90s");
    s.put("zones", "us-central1-a, us-central1-c");
    GcpSettings g = GcpSettings.from(ctx(s));
    assertThat(g.operationTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(g.zones()).containsExactly("us-central1-a", "us-central1-c");

    s.put("operationTimeout", "soon");
    assertThatThrownBy(() -> GcpSettings.from(ctx(s))).hasMessageContaining("'operationTimeout'");
    s.put("operationTimeout", "1m");
    s.put("zones", "europe-west1-b");
    assertThatThrownBy(() -> GcpSettings.from(ctx(s))).hasMessageContaining("'zones'");
  }

  @Test
  void providerIdRoundTripsAndForeignIdsAreNotFound() {
    ProviderId id = ProviderId.parse("gce://p1/us-central1-a/node-1");
    assertThat(id).isEqualTo(new ProviderId("p1", "us-central1-a", "node-1"));
    assertThat(id.toString()).isEqualTo("gce://p1/us-central1-a/node-1");
    assertThatThrownBy(() -> ProviderId.parse("aws:///us-east-1a/i-1"))
        .isInstanceOf(dev.dovetail.cloudprovider.NodeClaimNotFoundException.class);
    assertThatThrownBy(() -> ProviderId.parse("gce://p1/us-central1-a"))
        .isInstanceOf(dev.dovetail.cloudprovider.NodeClaimNotFoundException.class);
  }
}
