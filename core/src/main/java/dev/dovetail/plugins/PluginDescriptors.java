package dev.dovetail.plugins;

import static dev.dovetail.plugins.PluginLoadException.Reason.INCOMPATIBLE_API;
import static dev.dovetail.plugins.PluginLoadException.Reason.INVALID_DESCRIPTOR;

import dev.dovetail.cloudprovider.CloudProvider;
import java.nio.file.Path;
import org.pf4j.PluginDescriptor;

/** Reading and checking a plugin's descriptor (manifest or plugin.properties) before loading it. */
final class PluginDescriptors {
  private PluginDescriptors() {}

  static PluginDescriptor read(DovetailPluginManager manager, Path path, Path origin)
      throws PluginLoadException {
    PluginDescriptor descriptor;
    try {
      descriptor = manager.descriptorOf(path);
    } catch (RuntimeException e) {
      descriptor = null;
    }
    String where = PluginLoader.isJar(origin) ? "its manifest" : "its plugin.properties";
    if (descriptor == null || isBlank(descriptor.getPluginId())) {
      throw new PluginLoadException(
          INVALID_DESCRIPTOR,
          "%s is not a Dovetail plugin: %s has no plugin id (Plugin-Id / plugin.id); remove it from"
                  .formatted(origin, where)
              + " %s or rebuild it as a plugin".formatted(origin.getParent()));
    }
    if (isBlank(descriptor.getVersion())) {
      throw new PluginLoadException(
          INVALID_DESCRIPTOR,
          "plugin '%s' (%s) has no version in %s (Plugin-Version / plugin.version): rebuild it"
              .formatted(descriptor.getPluginId(), origin, where));
    }
    String requires = descriptor.getRequires();
    if (isBlank(requires) || requires.strip().equals("*")) {
      // PF4J would accept any core; a 0.x plugin-api changes too often for that to be safe.
      throw new PluginLoadException(
          INVALID_DESCRIPTOR,
          ("plugin '%s' (%s) does not say which plugin-api it was built for: rebuild it with"
                  + " Plugin-Requires (plugin.requires) set to the plugin-api range it supports"
                  + " (this Dovetail provides plugin-api %s)")
              .formatted(descriptor.getPluginId(), origin, CloudProvider.API_VERSION));
    }
    try {
      manager.getVersionManager().checkVersionConstraint(CloudProvider.API_VERSION, requires);
    } catch (RuntimeException e) {
      throw new PluginLoadException(
          INVALID_DESCRIPTOR,
          ("plugin '%s' (%s) has a malformed Plugin-Requires '%s' (%s): it must be a version range"
                  + " such as '>=0.1.0 & <0.2.0'; rebuild the plugin")
              .formatted(descriptor.getPluginId(), origin, requires, PluginLoader.describe(e)),
          e);
    }
    return descriptor;
  }

  /**
   * Refuses a plugin whose Plugin-Requires excludes this plugin-api before PF4J sees it (PF4J would
   * disable it with two warnings that speak of a "minimum system version"). As PF4J does with exact
   * versions not allowed, a bare version is a minimum.
   */
  static void checkCompatible(
      DovetailPluginManager manager, PluginDescriptor descriptor, Path origin)
      throws PluginLoadException {
    String requires = descriptor.getRequires().strip();
    String constraint = requires.matches("\\d+(\\.\\d+)*") ? ">=" + requires : requires;
    if (!manager
        .getVersionManager()
        .checkVersionConstraint(CloudProvider.API_VERSION, constraint)) {
      throw incompatible(descriptor, origin);
    }
  }

  static PluginLoadException incompatible(PluginDescriptor descriptor, Path origin) {
    return new PluginLoadException(
        INCOMPATIBLE_API,
        "plugin '%s' %s (%s) requires plugin-api '%s', but this Dovetail provides plugin-api %s:"
                .formatted(
                    descriptor.getPluginId(),
                    descriptor.getVersion(),
                    origin,
                    descriptor.getRequires(),
                    CloudProvider.API_VERSION)
            + " install the release of the plugin built for plugin-api %s"
                .formatted(CloudProvider.API_VERSION));
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
