package dev.dovetail.demo.bench;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.kube.Durations;
import dev.dovetail.operator.Logging;
import dev.dovetail.plugins.LoadedPlugins;
import dev.dovetail.plugins.PluginLoader;
import dev.dovetail.plugins.PluginsDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options both embedded-API-server benchmarks take for their provider (a picocli mixin): which
 * plugin, from where, with which simulated catalog, and the log level; and the loading of that
 * plugin around a run.
 */
public final class BenchProviderOptions {
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

  /** A benchmark run on the loaded provider, returning the exit code. */
  public interface Run {
    int on(CloudProvider cloud) throws Exception;
  }

  /** The simulated catalog, checked. */
  String catalog() {
    if (!catalog.matches("aws|azure|gcp")) {
      throw new IllegalArgumentException(
          "--catalog must be aws, azure or gcp, got '" + catalog + "'");
    }
    return catalog;
  }

  /** A {@code --timeout} value such as {@code 90s} or {@code 15m}. */
  static Duration timeout(String value) {
    try {
      return Durations.parse(value).orElseThrow(() -> new IllegalArgumentException("Never"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--timeout: '" + value + "' is not a duration such as 90s or 15m");
    }
  }

  /** Configures logging, loads the plugins and runs {@code run} on the selected provider. */
  int run(Run run) throws Exception {
    Logging.configure(logLevel, "text");
    try (LoadedPlugins loaded = PluginLoader.forDirectories(pluginsDirs).load()) {
      loaded.problems().forEach(p -> System.err.println("warning: " + p.describe()));
      return run.on(loaded.select(provider).provider().orElseThrow());
    }
  }
}
