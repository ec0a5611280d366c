package dev.dovetail.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.demo.DurationOption;
import dev.dovetail.operator.Logging;
import dev.dovetail.plugins.LoadedPlugins;
import dev.dovetail.plugins.PluginLoader;
import dev.dovetail.plugins.PluginsDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dovetail chaos}: the controllers under a seeded fault schedule, invariants checked. */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Runs Dovetail's controllers on the embedded API with a provider (the simulated cloud by",
      "default) under seeded faults: API 409/429/500, latency, dropped watches; cloud call",
      "errors and timeouts, launches that never register, spot interruptions with warning,",
      "instances vanishing without one, capacity errors (simulated cloud); nodes going NotReady",
      "(NodeRepair on); the operator killed and restarted. Cloud faults wrap any --provider.",
      "Lets each run settle and checks that no pod is lost, no instance leaked or duplicated,",
      "no NodeClaim stuck and every pending pod explained. Exits 1 naming the failures."
    })
public final class ChaosCommand implements Callable<Integer> {
  @Option(
      names = "--plugins-dir",
      paramLabel = "DIR",
      description =
          "Directory of provider plugins (repeatable). Default: $"
              + PluginsDirectory.ENV
              + ", else plugins/ next to the distribution.")
  List<Path> pluginsDirs = new java.util.ArrayList<>();

  @Option(
      names = "--provider",
      defaultValue = "simulated",
      description = "Provider plugin (default ${DEFAULT-VALUE}); must work offline.")
  String provider;

  @Option(
      names = "--provider-setting",
      paramLabel = "KEY=VALUE",
      description = {
        "A provider setting (repeatable), e.g. where a plugin's test backend is. Applied over",
        "chaos's own settings for the simulated cloud, alone for any other provider."
      })
  Map<String, String> providerSettings = new LinkedHashMap<>();

  @Option(names = "--runs", defaultValue = "3", description = "Runs (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the first run; run i uses seed+i (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--pods",
      defaultValue = "60",
      description = "Pods per run (default ${DEFAULT-VALUE}).")
  int pods;

  @Option(
      names = "--fault-window",
      defaultValue = "6s",
      description = "How long faults are injected in each run (default ${DEFAULT-VALUE}).")
  String faultWindow;

  @Option(
      names = "--settle-timeout",
      defaultValue = "60s",
      description =
          "How long a run may take to settle after the faults stop (default ${DEFAULT-VALUE}).")
  String settleTimeout;

  @Option(
      names = "--max-cost-over-clean",
      defaultValue = "0.05",
      description =
          "Cost bound: a run may end at most this fraction dearer than the fault-free run of its"
              + " workload (default ${DEFAULT-VALUE}, issue 14's 5 %%).")
  double maxCostOverClean;

  @Option(names = "--json", description = "Print the figures as JSON.")
  boolean json;

  @Option(
      names = "--log-level",
      defaultValue = "error",
      description = "Log level (default ${DEFAULT-VALUE}).")
  String logLevel;

  @Override
  public Integer call() throws Exception {
    Logging.configure(logLevel, "text");
    if (runs < 1) {
      throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
    }
    if (pods < 1) {
      throw new IllegalArgumentException("--pods must be at least 1, got " + pods);
    }
    if (!(maxCostOverClean >= 0)) {
      throw new IllegalArgumentException(
          "--max-cost-over-clean must be a fraction >= 0, got " + maxCostOverClean);
    }
    Duration window = DurationOption.parse("--fault-window", faultWindow);
    Duration settle = DurationOption.parse("--settle-timeout", settleTimeout);
    List<LoadedPlugins> loads = new java.util.ArrayList<>();
    try {
      ChaosReport report =
          new Chaos(
                  () -> load(loads), providerSettings, runs, seed, pods, window, settle, System.err)
              .run();
      return print(report);
    } finally {
      for (LoadedPlugins l : loads) {
        l.close();
      }
    }
  }

  /**
   * Each run needs a cloud of its own (a closed provider is not restarted), so the plugins are
   * loaded again for every run; the loads are closed at the end.
   */
  private CloudProvider load(List<LoadedPlugins> loads) {
    try {
      LoadedPlugins loaded = PluginLoader.forDirectories(pluginsDirs).load();
      loads.add(loaded);
      if (loads.size() == 1) {
        loaded.problems().forEach(p -> System.err.println("warning: " + p.describe()));
      }
      return loaded.select(provider).provider().orElseThrow();
    } catch (Exception e) {
      throw new IllegalStateException("loading provider " + provider + ": " + e.getMessage(), e);
    }
  }

  /** Prints the figures; 0 when every invariant held, else 1 after naming the failures. */
  int print(ChaosReport report) throws Exception {
    if (json) {
      System.out.println(
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(report.toJson()));
    } else {
      report.toJson().forEach((k, v) -> System.out.printf("%-20s %s%n", k + ":", v));
    }
    List<String> violations = report.violations(maxCostOverClean);
    violations.forEach(v -> System.err.println("invariant failed: " + v));
    return violations.isEmpty() ? 0 : 1;
  }
}
