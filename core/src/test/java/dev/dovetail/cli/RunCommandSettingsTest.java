package dev.dovetail.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.operator.KubeClientRate;
import dev.dovetail.operator.SchedulingPolicies;
import dev.dovetail.operator.SchedulingPolicies.MinValuesPolicy;
import dev.dovetail.operator.SchedulingPolicies.PreferencePolicy;
import dev.dovetail.operator.Settings;
import dev.dovetail.scheduling.SchedulingOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags resolve into one settings model, validated before anything starts. */
class RunCommandSettingsTest {

  private static RunCommand parse(String... args) {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs(args);
    return run;
  }

  @Test
  void flagsReachTheSettingsAndTheProvider() {
    RunCommand run =
        parse(
            "--provider", "aws",
            "--cluster-name", "prod",
            "--cluster-endpoint", "https://api.example:443",
            "--interruption-queue", "prod-interruptions",
            "--feature-gates", "NodeRepair=true,SpotToSpotConsolidation=true",
            "--batch-idle-duration", "2s",
            "--batch-max-duration", "20s",
            "--kube-client-qps", "400",
            "--kube-client-burst", "600",
            "--provider-setting", "region=eu-west-1");
    Settings s = run.settings();
    assertThat(s.clusterName()).isEqualTo("prod");
    assertThat(s.batchIdleDuration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.batchMaxDuration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.kubeClientRate()).isEqualTo(new KubeClientRate(400, 600));
    assertThat(s.featureGates().nodeRepair()).isTrue();
    assertThat(s.featureGates().spotToSpotConsolidation()).isTrue();
    assertThat(run.providerSettings(Map.of("DOVETAIL_PROVIDER_ISOLATED_VPC", "true")))
        .containsEntry("clusterEndpoint", "https://api.example:443")
        .containsEntry("interruptionQueue", "prod-interruptions")
        .containsEntry("region", "eu-west-1")
        .containsEntry("isolatedVpc", "true");
  }

  @Test
  void invalidSettingsAreRefusedNamingTheSetting() {
    assertThatThrownBy(
            () -> parse("--provider", "simulated", "--feature-gates", "Drift=true").settings())
        .hasMessageContaining("unknown feature gate 'Drift'");
    assertThatThrownBy(
            () -> parse("--provider", "simulated", "--batch-idle-duration", "soon").settings())
        .hasMessageContaining("BATCH_IDLE_DURATION");
    assertThatThrownBy(() -> parse("--provider", "aws").settings())
        .hasMessageContaining("CLUSTER_NAME")
        .hasMessageContaining("aws");
    assertThatThrownBy(
            () -> parse("--provider", "simulated", "--kube-client-burst", "lots").settings())
        .hasMessageContaining("KUBE_CLIENT_BURST");
    assertThatThrownBy(() -> parse("--provider", "simulated", "--log-format", "xml").settings())
        .hasMessageContaining("LOG_FORMAT");
    assertThat(parse("--provider", "simulated").settings().clusterName()).isEqualTo("dovetail");
  }

  @Test
  void badSettingsExitNonZeroWithTheMessage() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new RunCommand());
    cli.setErr(new PrintWriter(err));
    cli.setExecutionExceptionHandler(
        (ex, c, r) -> {
          c.getErr().println("error: " + ex.getMessage());
          return 2;
        });
    int code = cli.execute("--provider", "simulated", "--feature-gates", "NodeRepair=maybe");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("NodeRepair must be true or false");
  }

  @Test
  void helpDocumentsTheFeatureGates() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new RunCommand());
    cli.usage(new PrintWriter(out));
    // picocli wraps to the terminal width: compare with the line breaks folded.
    assertThat(out.toString().replaceAll("\\s+", " "))
        .contains("--feature-gates")
        .contains("SpotToSpotConsolidation=false")
        .contains("StaticCapacity keeps NodePools with spec.replicas")
        .contains("FEATURE_GATES");
  }

  @Test
  void theClientPaceDefaultsToUpstreamsAsTheProvisionerDoes() {
    // the flags' default strings are literal (an annotation needs a constant): they must give the
    // pace the provisioner's own defaults hold
    assertThat(parse("--provider", "simulated").settings().kubeClientRate())
        .isEqualTo(KubeClientRate.DEFAULTS);
  }

  @Test
  void schedulingPoliciesDefaultAsUpstreamAndAreValidatedNamingTheSetting() {
    Settings defaults = parse("--provider", "simulated").settings();
    assertThat(defaults.policies()).isEqualTo(SchedulingPolicies.DEFAULTS);
    assertThat(defaults.policies().preference()).isEqualTo(PreferencePolicy.Respect);
    assertThat(defaults.policies().minValues()).isEqualTo(MinValuesPolicy.Strict);

    Settings set =
        parse(
                "--provider", "simulated",
                "--preference-policy", "Ignore",
                "--min-values-policy", "BestEffort")
            .settings();
    assertThat(set.policies().preference()).isEqualTo(PreferencePolicy.Ignore);
    assertThat(set.policies().minValues()).isEqualTo(MinValuesPolicy.BestEffort);
    // what the engine is told
    assertThat(set.policies().apply(SchedulingOptions.DEFAULT).ignorePreferences()).isTrue();
    assertThat(set.policies().apply(SchedulingOptions.DEFAULT).relaxMinValues()).isTrue();
    assertThat(defaults.policies().apply(SchedulingOptions.DEFAULT))
        .isEqualTo(SchedulingOptions.DEFAULT);

    assertThatThrownBy(
            () -> parse("--provider", "simulated", "--preference-policy", "ignore").settings())
        .hasMessageContaining("PREFERENCE_POLICY")
        .hasMessageContaining("Respect, Ignore");
    assertThatThrownBy(
            () -> parse("--provider", "simulated", "--min-values-policy", "Lenient").settings())
        .hasMessageContaining("--min-values-policy (MIN_VALUES_POLICY)")
        .hasMessageContaining("'Lenient'");
  }

  @Test
  void helpDocumentsThePolicies() {
    StringWriter out = new StringWriter();
    new CommandLine(new RunCommand()).usage(new PrintWriter(out));
    assertThat(out.toString().replaceAll("\\s+", " "))
        .contains("--preference-policy")
        .contains("PREFERENCE_POLICY")
        .contains("--min-values-policy")
        .contains("MIN_VALUES_POLICY")
        .contains("BestEffort");
  }
}
