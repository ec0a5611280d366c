package dev.dovetail.cli;

import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.plugins.LoadedPlugins;
import dev.dovetail.plugins.LoadedProvider;
import dev.dovetail.plugins.PluginLoadException;
import dev.dovetail.plugins.PluginLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * The NodeClass kinds of the installed plugins, for {@code validate}. The plugins stay loaded for
 * the life of the command, since the kinds' model classes live in their class loaders. Without a
 * plugins directory, only karpenter.sh kinds validate.
 */
final class InstalledNodeClasses {
  private LoadedPlugins loaded;

  synchronized List<NodeClassKind> kinds() {
    if (loaded == null) {
      try {
        loaded = PluginLoader.forDirectories(List.of()).load();
        loaded
            .problems()
            .forEach(
                p ->
                    System.err.println(
                        "note: its NodeClasses cannot be validated: " + p.describe()));
      } catch (PluginLoadException e) {
        System.err.println("note: no provider NodeClasses can be validated: " + e.getMessage());
        return List.of();
      }
    }
    List<NodeClassKind> kinds = new ArrayList<>();
    for (LoadedProvider p : loaded.providers()) {
      kinds.addAll(p.nodeClassKinds());
    }
    return kinds;
  }
}
