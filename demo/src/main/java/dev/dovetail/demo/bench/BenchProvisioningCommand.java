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

/** {@code dovetail bench provisioning}: the whole controller path on the embedded API server. */
@Command(
    name = "provisioning",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the real controllers on the embedded API server with a provider at zero launch"
          + " latency and the demo's stand-in scheduler, creates N pending pods of the demo's"
          + " workload, and reports when every NodeClaim was created and every pod bound, the"
          + " peak heap, the controllers' CPU apart from the API server's, and their idle CPU."
    })
public final class BenchProvisioningCommand implements Callable<Integer> {
  @Option(names = "--pods", description = "Pending pods to create (default ${DEFAULT-VALUE}).")
  int pods = 2000;

  @Option(names = "--json", description = "Print the figures as one JSON object on stdout.")
  boolean json;

  @Option(
      names = "--idle-seconds",
      description = "Idle window after everything settled (default ${DEFAULT-VALUE}).")
  int idleSeconds = 60;

  @Option(
      names = "--settle-seconds",
      description =
          "Wait between the last pod bound and the idle window (default ${DEFAULT-VALUE}).")
  int settleSeconds = 10;

  @Option(names = "--timeout", description = "Give up binding after (default ${DEFAULT-VALUE}).")
  String timeout = "15m";

  @Option(
      names = "--catalog",
      description = "Simulated catalog: aws, azure or gcp (default ${DEFAULT-VALUE}).")
  String catalog = "aws";

  @Option(names = "--seed", description = "Workload seed (default ${DEFAULT-VALUE}).")
  long seed = 42;

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

  /** Runs the benchmark on a provider; the exit code is 0 when every pod was bound. */
  int run(CloudProvider cloud) throws InterruptedException, java.io.IOException {
    ProvisioningBenchmark.Options options = options();
    ProvisioningBenchmark.Result r = new ProvisioningBenchmark(cloud, options, System.err).run();
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(r));
    } else {
      print(r);
    }
    return r.secondsToAllBound() != null ? 0 : 1;
  }

  ProvisioningBenchmark.Options options() {
    if (pods < 1) {
      throw new IllegalArgumentException("--pods must be at least 1, got " + pods);
    }
    if (idleSeconds < 0 || settleSeconds < 0) {
      throw new IllegalArgumentException("--idle-seconds and --settle-seconds must be >= 0");
    }
    if (!catalog.matches("aws|azure|gcp")) {
      throw new IllegalArgumentException(
          "--catalog must be aws, azure or gcp, got '" + catalog + "'");
    }
    Duration limit;
    try {
      limit = Durations.parse(timeout).orElseThrow(() -> new IllegalArgumentException("Never"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--timeout: '" + timeout + "' is not a duration such as 90s or 15m");
    }
    return new ProvisioningBenchmark.Options(
        pods,
        catalog,
        seed,
        limit,
        Duration.ofSeconds(idleSeconds),
        Duration.ofSeconds(settleSeconds),
        8);
  }

  private static void print(ProvisioningBenchmark.Result r) {
    System.out.printf(
        Locale.ROOT,
        "pods %d (bound %d), nodeclaims %d, nodes %d%n"
            + "all pods created after   %.1f s%n"
            + "all nodeclaims created   %.1f s (%.1f s after the last pod)%n"
            + "all pods bound after     %s%n"
            + "peak heap                %.0f MiB%n"
            + "cpu until all bound      controllers %.1f s, api server %.1f s, stand-in %.1f s,"
            + " jvm (gc, jit) %.1f s%n"
            + "idle cpu over %.0f s       controllers %.2f %%, api server %.2f %%, jvm %.2f %%"
            + " of one core%n"
            + "busiest controller threads: %s%n",
        r.pods(),
        r.bound(),
        r.nodeClaims(),
        r.nodes(),
        r.secondsToAllPodsCreated(),
        r.secondsToAllNodeClaimsCreated(),
        r.secondsFromLastPodToAllNodeClaims(),
        r.secondsToAllBound() == null ? "not within the timeout" : r.secondsToAllBound() + " s",
        r.peakHeapMiB(),
        r.controllerCpuSeconds(),
        r.apiServerCpuSeconds(),
        r.standInCpuSeconds(),
        r.jvmCpuSeconds(),
        r.idleSeconds(),
        r.idleCpuPercent(),
        r.idleApiServerCpuPercent(),
        r.idleJvmCpuPercent(),
        r.busiestControllerThreads());
  }
}
