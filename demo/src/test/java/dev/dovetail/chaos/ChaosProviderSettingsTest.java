package dev.dovetail.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code dovetail chaos --provider NAME --provider-setting K=V}: chaos's own settings are the
 * simulated cloud's and go to it alone; a plugin gets exactly the settings given for it.
 */
class ChaosProviderSettingsTest {
  @Test
  void theSimulatedCloudGetsChaossSettingsWithTheGivenOnesOnTop() {
    Map<String, String> s =
        ChaosRun.providerSettings(
            new SimulatedCloud().name(), Map.of("launchLatency", "2s"), 7, new Random(7));
    assertThat(s)
        .containsEntry("catalog", "aws")
        .containsEntry("seed", "7")
        .containsEntry("launchLatency", "2s")
        .containsKey("iceOfferings");
    assertThat(s.get("iceOfferings").split(",")).hasSize(3).allMatch(o -> o.endsWith("/spot"));
  }

  @Test
  void theStandingCapacityErrorsAreTheSameInTheCleanAndTheFaultedRunOfASeed() {
    assertThat(ChaosRun.providerSettings("simulated", Map.of(), 3, new Random(3)))
        .isEqualTo(ChaosRun.providerSettings("simulated", Map.of(), 3, new Random(3)));
  }

  @Test
  void theCommandLineTakesRepeatedProviderSettings() {
    ChaosCommand cmd = new ChaosCommand();
    new CommandLine(cmd)
        .parseArgs(
            "--provider", "clusterapi",
            "--provider-setting", "managementKubeconfig=/tmp/k",
            "--provider-setting", "namespace=capi");
    assertThat(cmd.provider).isEqualTo("clusterapi");
    assertThat(cmd.providerSettings)
        .isEqualTo(Map.of("managementKubeconfig", "/tmp/k", "namespace", "capi"));
  }

  @Test
  void anotherProviderGetsOnlyTheSettingsGivenForIt() {
    Map<String, String> given = Map.of("managementKubeconfig", "/tmp/mgmt.kubeconfig");
    assertThat(ChaosRun.providerSettings("clusterapi", given, 7, new Random(7))).isEqualTo(given);
    assertThat(ChaosRun.providerSettings("clusterapi", Map.of(), 7, new Random(7))).isEmpty();
  }
}
