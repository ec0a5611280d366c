package dev.dovetail.demo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dovetail.cloudprovider.CloudProvider;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin BenchProviderOptions provider = new BenchProviderOptions();

  @Override
  public Integer call() throws Exception {
    options(); // bad options are reported before any plugin is loaded
    return provider.run(this::run);
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
              + "while idle: %d cluster events, %d disruption passes planned, %d full metrics"
              + " refreshes%n"
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
          r.clusterEventsWhileIdle(),
          r.disruptionPassesPlannedWhileIdle(),
          r.metricsFullRefreshesWhileIdle(),
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
    if (!consolidationPolicy.matches("WhenEmpty|WhenEmptyOrUnderutilized")) {
      throw new IllegalArgumentException(
          "--consolidation-policy must be WhenEmpty or WhenEmptyOrUnderutilized, got '"
              + consolidationPolicy
              + "'");
    }
    String catalog = provider.catalog();
    Duration limit = BenchProviderOptions.timeout(timeout);
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
