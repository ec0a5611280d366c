package dev.dovetail.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.ProviderContext;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
  private static final Map<String, String> SETTINGS =
      Map.of(
          "region", "eu-west-1",
          "accessKeyId", "AKIAEXAMPLE",
          "secretAccessKey", "wJalrXUtnFEMI/K7MDENG",
          "clientSecret", "azure-secret",
          "interruptionQueue", "q");

  @Test
  void secretsAreRedactedFromLogsAndTheProviderContextsToString() {
    assertThat(Redaction.redact(SETTINGS).toString())
        .contains("region=eu-west-1", "interruptionQueue=q")
        .doesNotContain("wJalrXUtnFEMI", "azure-secret", "AKIAEXAMPLE");
    ProviderContext ctx =
        new ProviderContext("c", SETTINGS, Clock.systemUTC(), null, InterruptionListener.IGNORE);
    assertThat(ctx.toString())
        .contains("region=eu-west-1")
        .doesNotContain("wJalrXUtnFEMI", "azure-secret");
  }

  @Test
  void theKubernetesVersionIsMajorDotMinorWithoutVendorSuffixes() {
    io.fabric8.kubernetes.client.VersionInfo info =
        new io.fabric8.kubernetes.client.VersionInfo.Builder()
            .withMajor("1")
            .withMinor("31+")
            .build();
    assertThat(KubernetesVersion.parse(info)).contains("1.31");
    assertThat(KubernetesVersion.parse(null)).isEmpty();
  }
}
