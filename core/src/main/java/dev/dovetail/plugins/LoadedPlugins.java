package dev.dovetail.plugins;

import static dev.dovetail.plugins.PluginLoadException.Reason.NOT_FUNCTIONAL;
import static dev.dovetail.plugins.PluginLoadException.Reason.UNKNOWN_PROVIDER;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;

/**
 * The plugins loaded from the plugin path, and the files skipped on it. Keeps the plugins' class
 * loaders open until {@link #close()}, so the providers stay usable.
 */
public final class LoadedPlugins implements AutoCloseable {

  private final List<Path> directories;
  private final List<LoadedProvider> providers;
  private final List<PluginProblem> problems;
  private final PluginManager manager;
  private final Path workDir;

  LoadedPlugins(
      List<Path> directories,
      List<LoadedProvider> providers,
      List<PluginProblem> problems,
      PluginManager manager,
      Path workDir) {
    this.directories = List.copyOf(directories);
    this.providers = List.copyOf(providers);
    this.problems = List.copyOf(problems);
    this.manager = manager;
    this.workDir = workDir;
  }

  /** The first directory of the plugin path. */
  public Path pluginsDir() {
    return directories.get(0);
  }

  /** Every directory of the plugin path, in order. */
  public List<Path> directories() {
    return directories;
  }

  /** Every plugin loaded, by plugin id. */
  public List<LoadedProvider> providers() {
    return providers;
  }

  /** The files on the plugin path that were skipped, in path order, each with its reason. */
  public List<PluginProblem> problems() {
    return problems;
  }

  /**
   * The provider {@code --provider NAME} designates: the one whose {@code name()} or plugin id is
   * {@code name}.
   *
   * @throws PluginLoadException the skipped plugin's reason when the plugin with that id was
   *     skipped, {@code UNKNOWN_PROVIDER} (listing the providers found and the files skipped) or
   *     {@code NOT_FUNCTIONAL} (with the provider's status)
   */
  public LoadedProvider select(String name) throws PluginLoadException {
    Optional<LoadedProvider> found = providers.stream().filter(p -> p.answersTo(name)).findFirst();
    if (found.isEmpty()) {
      Optional<PluginProblem> skipped =
          problems.stream().filter(p -> p.pluginId().filter(name::equals).isPresent()).findFirst();
      if (skipped.isPresent()) {
        throw new PluginLoadException(
            skipped.get().reason(),
            "provider '%s' cannot be used: %s".formatted(name, skipped.get().message()));
      }
      throw new PluginLoadException(
          UNKNOWN_PROVIDER,
          "unknown provider '%s': the plugins in %s provide %s; pick one of them with"
                  .formatted(name, describePath(), describeProviders())
              + " --provider, or add the plugin for '%s' to that directory".formatted(name)
              + skippedSuffix());
    }
    LoadedProvider selected = found.get();
    if (!selected.functional()) {
      throw new PluginLoadException(
          NOT_FUNCTIONAL,
          "provider '%s' (%s) is not functional: %s; choose another --provider or install a"
                  .formatted(name, selected.source(), selected.status())
              + " functional release of the plugin");
    }
    return selected;
  }

  private String describePath() {
    return directories.stream().map(Path::toString).collect(Collectors.joining(":"));
  }

  private String describeProviders() {
    return providers.isEmpty()
        ? "none"
        : providers.stream().map(LoadedProvider::label).collect(Collectors.joining(", "));
  }

  private String skippedSuffix() {
    return problems.isEmpty()
        ? ""
        : " (skipped: "
            + problems.stream()
                .map(p -> p.file() + ": " + p.reason())
                .collect(Collectors.joining(", "))
            + ")";
  }

  /** Stops the plugins, closes their class loaders and removes extracted zips. */
  @Override
  public void close() {
    release(manager, workDir);
  }

  static void release(PluginManager manager, Path workDir) {
    try {
      // Not stopPlugins(): in PF4J 3.15 it modifies the list it iterates. unloadPlugin stops a
      // started plugin and closes its class loader, resolved or not.
      for (PluginWrapper plugin : new ArrayList<>(manager.getPlugins())) {
        try {
          manager.unloadPlugin(plugin.getPluginId());
        } catch (RuntimeException e) {
          // keep releasing the others
        }
      }
    } finally {
      deleteRecursively(workDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: a leftover temp directory is harmless
    }
  }
}
