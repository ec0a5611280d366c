package dev.dovetail.cli;

import dev.dovetail.plugins.LoadedPlugins;
import dev.dovetail.plugins.LoadedProvider;
import dev.dovetail.plugins.PluginLoadException;
import dev.dovetail.plugins.PluginLoader;
import dev.dovetail.plugins.PluginProblem;
import dev.dovetail.plugins.PluginsDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dovetail plugins}: loads every plugin of the plugin path and prints one line per plugin,
 * {@code <id> <version> <functional|not functional> <status>}; exit 0. Each file skipped on the
 * path (corrupt, duplicate, built for another plugin-api, no provider) is one {@code warning:
 * skipped FILE: reason} line on stderr; the other plugins are still listed. When the path itself is
 * unusable (missing directory, no plugin at all) it prints {@code error: ...} to stderr and exits
 * {@value #LOAD_ERROR}.
 */
@Command(
    name = "plugins",
    mixinStandardHelpOptions = true,
    description =
        "List the provider plugins found on the plugin path, with their status, and the files"
            + " skipped on it.")
public final class PluginsCommand implements Callable<Integer> {

  /** Exit code when the plugins cannot be loaded. */
  public static final int LOAD_ERROR = 2;

  @Spec CommandSpec spec;

  @Option(
      names = "--plugins-dir",
      paramLabel = "DIR",
      description =
          "Directory of provider plugins (.jar or PF4J .zip), repeatable. Default: $"
              + PluginsDirectory.ENV
              + " (a :-separated list), else plugins/ next to the distribution.")
  List<Path> pluginsDirs = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (LoadedPlugins plugins = PluginLoader.forDirectories(pluginsDirs).load()) {
      for (LoadedProvider plugin : plugins.providers()) {
        out.println(line(plugin));
      }
      out.flush();
      for (PluginProblem problem : plugins.problems()) {
        err.println("warning: " + problem.describe());
      }
      err.flush();
      return 0;
    } catch (PluginLoadException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return LOAD_ERROR;
    }
  }

  static String line(LoadedProvider plugin) {
    return String.join(
        " ",
        plugin.pluginId(),
        plugin.version(),
        plugin.functional() ? "functional" : "not functional",
        plugin.status().replace('\n', ' '));
  }
}
