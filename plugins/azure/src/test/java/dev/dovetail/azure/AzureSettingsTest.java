package dev.dovetail.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.azure.options.AzureSettings;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureSettingsTest {
  private static Map<String, String> complete() {
    Map<String, String> s = new HashMap<>();
    s.put("subscription-id", "sub");
    s.put("TENANT_ID", "tenant");
    s.put("location", "eastus");
    s.put("nodeResourceGroup", "MC_rg");
    s.put("vnetSubnetID", FakeAzure.SUBNET);
    s.put("clusterEndpoint", "https://x");
    s.put("kubernetesVersion", "1.33.3");
    s.put("bootstrapToken", "abcdef.supersecretvalue");
    return s;
  }

  private static ProviderContext ctx(Map<String, String> s) {
    return new ProviderContext(
        "demo", s, Clock.systemUTC(), NodeRegistrar.NONE, InterruptionListener.IGNORE);
  }

  @Test
  void startWithoutARequiredSettingNamesIt() {
    Map<String, String> s = complete();
    s.remove("nodeResourceGroup");
    s.remove("location");
    AzureCloudProvider p = new AzureCloudProvider();
    assertThatThrownBy(
            () ->
                p.start(
                    new ProviderContext(
                        "demo",
                        s,
                        Clock.systemUTC(),
                        NodeRegistrar.NONE,
                        InterruptionListener.IGNORE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("location")
        .hasMessageContaining("nodeResourceGroup");
  }

  @Test
  void settingNamesMatchIgnoringCaseDashesAndUnderscores() {
    Map<String, String> s = complete();
    ProviderContext ctx =
        new ProviderContext(
            "demo", s, Clock.systemUTC(), NodeRegistrar.NONE, InterruptionListener.IGNORE);
    AzureSettings settings = AzureSettings.from(ctx.clusterName(), ctx::setting);
    assertThat(settings.subscriptionId()).isEqualTo("sub");
    assertThat(settings.tenantId()).isEqualTo("tenant");
    assertThat(settings.clusterName()).isEqualTo("demo");
    assertThat(settings.armEndpoint()).isEqualTo(AzureSettings.DEFAULT_ARM);
    assertThat(settings.insecureEndpoint()).isFalse();
  }

  @Test
  void toStringNeverShowsTheBootstrapToken() {
    Map<String, String> s = complete();
    AzureSettings settings = AzureSettings.from("demo", ctx(s)::setting);
    assertThat(settings.toString()).doesNotContain("supersecretvalue").contains("<redacted>");
  }

  @Test
  void malformedSubnetIdAndNumbersAreRejectedNamingTheSetting() {
    Map<String, String> s = complete();
    s.put("vnetSubnetID", "subnet-1");
    assertThatThrownBy(() -> AzureSettings.from("demo", ctx(s)::setting))
        .hasMessageContaining("vnetSubnetID");
    Map<String, String> t = complete();
    t.put("maxRetries", "many");
    assertThatThrownBy(() -> AzureSettings.from("demo", ctx(t)::setting))
        .hasMessageContaining("maxRetries");
  }
}
