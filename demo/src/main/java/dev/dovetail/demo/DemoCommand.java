package dev.dovetail.demo;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.operator.Logging;
import dev.dovetail.operator.Settings;
import dev.dovetail.plugins.LoadedPlugins;
import dev.dovetail.plugins.PluginLoader;
import dev.dovetail.plugins.PluginsDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dovetail demo}: the whole product on a laptop, no cloud and no cluster. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts an embedded Kubernetes API, the simulated cloud, Dovetail's controllers and a",
      "stand-in scheduler, submits a workload and prints a timeline and a cost summary."
    })
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--plugins-dir",
      paramLabel = "DIR",
      description =
          "Directory of provider plugins (repeatable). Default: $"
              + PluginsDirectory.ENV
              + " (a :-separated list), else plugins/ next to the distribution.")
  java.util.List<Path> pluginsDirs = new java.util.ArrayList<>();

  @Option(
      names = "--provider",
      paramLabel = "NAME",
      defaultValue = "simulated",
      description =
          "The provider plugin the demo runs on (default ${DEFAULT-VALUE}); it must answer"
              + " instance types and launches offline, like the simulated cloud or a plugin's own"
              + " fake.")
  String provider;

  @Option(
      names = "--pods",
      defaultValue = "500",
      description = "Pods in the workload (default ${DEFAULT-VALUE}).")
  int pods;

  @Option(
      names = "--catalog",
      defaultValue = "aws",
      description =
          "Instance catalog of the simulated cloud: aws, azure or gcp (default ${DEFAULT-VALUE}).")
  String catalog;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Workload seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--timeout",
      defaultValue = "120s",
      description = "Give up waiting for pods after this long (default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--launch-latency",
      defaultValue = "1s",
      description = "Simulated time from launch to a registered node (default ${DEFAULT-VALUE}).")
  String launchLatency;

  @Option(
      names = "--metrics-port",
      defaultValue = "8080",
      description =
          "Serve /metrics on this port during the demo; 0 picks a free one, -1 disables (default ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--summary-json", description = "Write the final summary as JSON to this file.")
  Path summaryJson;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "Write an HTML report of the run to this file: the timeline of pods bound, nodes and $/h,"
              + " and the final nodes packed with their pods (one self-contained page).")
  Path report;

  @Option(
      names = "--kubeconfig-out",
      paramLabel = "FILE",
      description =
          "Write a kubeconfig for the embedded API server to this file at start, for kubectl get"
              + " nodepools,nodeclaims,nodes while the demo runs.")
  Path kubeconfigOut;

  @Option(
      names = "--hold",
      negatable = false,
      description =
          "Keep the demo (and its API server and controllers) running after the summary until"
              + " Ctrl-C.")
  boolean hold;

  @Option(
      names = "--no-scale-down",
      negatable = false,
      description =
          "Skip the scale-down phase (part of the workload goes away and consolidation"
              + " removes the nodes it no longer needs).")
  boolean noScaleDown;

  @Option(
      names = "--log-level",
      defaultValue = "warn",
      description = "Log level (default ${DEFAULT-VALUE}).")
  String logLevel;

  @Override
  public Integer call() throws Exception {
    Logging.configure(logLevel, "text");
    if (pods < 1) {
      throw new IllegalArgumentException("--pods must be at least 1, got " + pods);
    }
    if (!catalog.matches("aws|azure|gcp")) {
      throw new IllegalArgumentException(
          "--catalog must be aws, azure or gcp, got '" + catalog + "'");
    }
    Duration timeoutDuration = DurationOption.parse("--timeout", timeout);
    Duration latency = DurationOption.parse("--launch-latency", launchLatency);
    try (LoadedPlugins loaded = PluginLoader.forDirectories(pluginsDirs).load()) {
      loaded.problems().forEach(p -> System.err.println("warning: " + p.describe()));
      CloudProvider provider = loaded.select(this.provider).provider().orElseThrow();
      Settings settings = Settings.defaults().withClusterName("demo");
      Demo demo =
          new Demo(
              provider,
              new Demo.Options(
                  pods,
                  catalog,
                  seed,
                  timeoutDuration,
                  latency,
                  summaryJson,
                  settings,
                  metricsPort,
                  !noScaleDown,
                  report,
                  kubeconfigOut,
                  hold),
              System.out);
      if (hold) {
        // Ctrl-C ends the hold; the hook waits for the demo to close its API server and
        // controllers before the JVM exits.
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        Thread hook =
            new Thread(
                () -> {
                  demo.release();
                  try {
                    closed.await(10, java.util.concurrent.TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "dovetail-demo-hold");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
          return exitCode(demo.run());
        } finally {
          closed.countDown();
        }
      }
      return exitCode(demo.run());
    }
  }

  /** Non-zero only for a real failure, named on stderr (the pods are listed in the output). */
  static int exitCode(Demo.Summary summary) {
    List<String> failures = failures(summary);
    failures.forEach(f -> System.err.println("demo failed: " + f));
    return failures.isEmpty() ? 0 : 1;
  }

  static List<String> failures(Demo.Summary summary) {
    List<String> failures = new ArrayList<>();
    if (summary.consolidation() == null && summary.pods().pending() > 0) {
      failures.add(
          summary.pods().pending()
              + " of "
              + summary.pods().total()
              + " pods still pending when the provisioning phase timed out (see \"pods not"
              + " placed\")");
    }
    if (summary.consolidation() != null && summary.consolidation().podsLost() > 0) {
      failures.add(
          summary.consolidation().podsLost()
              + " pods lost in the scale-down (a controller's pod with no running replacement,"
              + " or a naked pod evicted; see \"lost:\")");
    }
    return failures;
  }
}
