package dev.dovetail.plugins;

import static dev.dovetail.plugins.PluginLoadException.Reason.UNKNOWN_PROVIDER;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The {@code --plugins-dir} and {@code --provider} options, for commands that run a provider
 * ({@code @Mixin PluginOptions plugins;}).
 */
public final class PluginOptions {

  @Option(
      names = "--plugins-dir",
      paramLabel = "DIR",
      description =
          "Directory of provider plugins (.jar or PF4J .zip), repeatable. Default: $"
              + PluginsDirectory.ENV
              + " (a :-separated list), else plugins/ next to the distribution.")
  List<Path> pluginsDirs = new ArrayList<>();

  @Option(
      names = "--provider",
      paramLabel = "NAME",
      description = "The provider to run (a plugin's provider name or plugin id), e.g. simulated.")
  String provider;

  /** The directories plugins are loaded from, after defaults. */
  public List<Path> pluginsDirs() {
    return PluginsDirectory.resolveAll(pluginsDirs);
  }

  public String provider() {
    return provider;
  }

  /** Loads every plugin of {@link #pluginsDirs()}. */
  public LoadedPlugins load() throws PluginLoadException {
    return PluginLoader.forDirectories(pluginsDirs).load();
  }

  /**
   * Selects the {@code --provider} among loaded plugins (which must stay open while it is used).
   */
  public LoadedProvider select(LoadedPlugins plugins) throws PluginLoadException {
    if (provider == null || provider.isBlank()) {
      throw new PluginLoadException(
          UNKNOWN_PROVIDER,
          "no --provider given: the plugins in %s provide %s"
              .formatted(
                  plugins.pluginsDir(),
                  plugins.providers().stream()
                      .map(LoadedProvider::name)
                      .collect(Collectors.joining(", "))));
    }
    return plugins.select(provider);
  }
}
