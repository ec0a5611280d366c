package dev.dovetail.demo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.kube.Durations;
import dev.dovetail.operator.Logging;
import dev.dovetail.plugins.LoadedPlugins;
import dev.dovetail.plugins.PluginLoader;
import dev.dovetail.plugins.PluginsDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dovetail bench idle}: the controllers' CPU on a large cluster with nothing to do. */
@Command(
    name = "idle",
    mixinStandardHelpOptions = true,
    description = {
      "Builds a cluster of N initialized NodeClaims with Ready nodes and bound pods on the"
          + " embedded API server (the operator's own lifecycle controller launches them on a"
          + " provider at zero launch latency; nothing is provisioned), then reports the"
          + " controllers' CPU over an idle window, apart from the API server's and the JVM's."
    })
public final class BenchIdleCommand implements Callable<Integer> {
  @Option(names = "--nodes", description = "NodeClaims and nodes (default ${DEFAULT-VALUE}).")
  int nodes = 400;

  @Option(names = "--pods", description = "Bound pods, spread evenly (default ${DEFAULT-VALUE}).")
  int pods = 4000;

  @Option(names = "--seconds", description = "Idle window (default ${DEFAULT-VALUE}).")
  int seconds = 60;

  @Option(
      names = "--settle-seconds",
      description = "Wait before the window, once ready (default ${DEFAULT-VALUE}).")
  int settleSeconds = 20;

  @Option(
      names = "--consolidation-policy",
      description = "The NodePool's policy (default ${DEFAULT-VALUE}).")
  String consolidationPolicy = "WhenEmptyOrUnderutilized";

  @Option(names = "--json", description = "Print the figures as one JSON object on stdout.")
  boolean json;

  @Option(names = "--timeout", description = "Give up building after (default ${DEFAULT-VALUE}).")
  String timeout = "20m";

  @Option(
      names = "--catalog",
      description = "Simulated catalog: aws, azure or gcp (default ${DEFAULT-VALUE}).")
  String catalog = "aws";

  @Option(
      names = "--plugins-dir",
      description = "Directory of provider plugins (repeatable). Default: $" + PluginsDirectory.ENV)
  List<Path> pluginsDirs;

  @Option(
      names = "--provider",
      defaultValue = "simulated",
      description = "Provider plugin (default ${DEFAULT-VALUE}); it must launch offline.")
  String provider;

  @Option(names = "--log-level", defaultValue = "warn", description = "Log level.")
  String logLevel;

  @Override
  public Integer call() throws Exception {
    Logging.configure(logLevel, "text");
    options(); // bad options are reported before any plugin is loaded
    try (LoadedPlugins loaded = PluginLoader.forDirectories(pluginsDirs).load()) {
      loaded.problems().forEach(p -> System.err.println("warning: " + p.describe()));
      return run(loaded.select(provider).provider().orElseThrow());
    }
  }

  int run(CloudProvider cloud) throws InterruptedException, java.io.IOException {
    IdleBenchmark.Result r = new IdleBenchmark(cloud, options(), System.err).run();
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(r));
    } else {
      System.out.printf(
          Locale.ROOT,
          "nodes %d, pods %d (bound %d), ready after %.1f s%n"
              + "idle cpu over %.0f s   controllers %.2f %%, api server %.2f %%, jvm %.2f %% of"
              + " one core%n"
              + "nodeclaims created/deleted while idle: %d/%d%n"
              + "busiest controller threads while idle: %s%n",
          r.nodes(),
          r.pods(),
          r.boundPods(),
          r.secondsToReady(),
          r.idleSeconds(),
          r.idleCpuPercent(),
          r.idleApiServerCpuPercent(),
          r.idleJvmCpuPercent(),
          r.nodeClaimsCreatedWhileIdle(),
          r.nodeClaimsDeletedWhileIdle(),
          r.busiestIdleControllerThreads());
    }
    return 0;
  }

  IdleBenchmark.Options options() {
    if (nodes < 1 || pods < 0) {
      throw new IllegalArgumentException("--nodes must be at least 1 and --pods at least 0");
    }
    if (seconds < 1 || settleSeconds < 0) {
      throw new IllegalArgumentException("--seconds must be >= 1 and --settle-seconds >= 0");
    }
    if (!catalog.matches("aws|azure|gcp")) {
      throw new IllegalArgumentException(
          "--catalog must be aws, azure or gcp, got '" + catalog + "'");
    }
    if (!consolidationPolicy.matches("WhenEmpty|WhenEmptyOrUnderutilized")) {
      throw new IllegalArgumentException(
          "--consolidation-policy must be WhenEmpty or WhenEmptyOrUnderutilized, got '"
              + consolidationPolicy
              + "'");
    }
    Duration limit;
    try {
      limit = Durations.parse(timeout).orElseThrow(() -> new IllegalArgumentException("Never"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--timeout: '" + timeout + "' is not a duration such as 90s or 15m");
    }
    return new IdleBenchmark.Options(
        nodes,
        pods,
        catalog,
        consolidationPolicy,
        limit,
        Duration.ofSeconds(settleSeconds),
        Duration.ofSeconds(seconds));
  }
}
