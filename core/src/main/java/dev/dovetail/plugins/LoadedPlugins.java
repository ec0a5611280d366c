package dev.dovetail.plugins;

import static dev.dovetail.plugins.PluginLoadException.Reason.NOT_FUNCTIONAL;
import static dev.dovetail.plugins.PluginLoadException.Reason.UNKNOWN_PROVIDER;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;

/**
 * The plugins loaded from one directory. Keeps their class loaders open until {@link #close()}, so
 * the providers stay usable.
 */
public final class LoadedPlugins implements AutoCloseable {

  private final Path pluginsDir;
  private final List<LoadedProvider> providers;
  private final PluginManager manager;
  private final Path workDir;

  LoadedPlugins(
      Path pluginsDir, List<LoadedProvider> providers, PluginManager manager, Path workDir) {
    this.pluginsDir = pluginsDir;
    this.providers = List.copyOf(providers);
    this.manager = manager;
    this.workDir = workDir;
  }

  public Path pluginsDir() {
    return pluginsDir;
  }

  /** Every plugin found, by plugin id. */
  public List<LoadedProvider> providers() {
    return providers;
  }

  /**
   * The provider {@code --provider NAME} designates: the one whose {@code name()} or plugin id is
   * {@code name}.
   *
   * @throws PluginLoadException {@code UNKNOWN_PROVIDER} (listing the providers found) or {@code
   *     NOT_FUNCTIONAL} (with the provider's status)
   */
  public LoadedProvider select(String name) throws PluginLoadException {
    LoadedProvider selected =
        providers.stream()
            .filter(p -> p.answersTo(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new PluginLoadException(
                        UNKNOWN_PROVIDER,
                        "unknown provider '%s': the plugins in %s provide %s; pick one of them with"
                                .formatted(
                                    name,
                                    pluginsDir,
                                    providers.stream()
                                        .map(LoadedProvider::label)
                                        .collect(Collectors.joining(", ")))
                            + " --provider, or add the plugin for '%s' to that directory"
                                .formatted(name)));
    if (!selected.functional()) {
      throw new PluginLoadException(
          NOT_FUNCTIONAL,
          "provider '%s' (%s) is not functional: %s; choose another --provider or install a"
                  .formatted(name, selected.source(), selected.status())
              + " functional release of the plugin");
    }
    return selected;
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
