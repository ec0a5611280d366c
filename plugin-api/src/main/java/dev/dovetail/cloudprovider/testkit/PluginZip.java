package dev.dovetail.cloudprovider.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.CloudProvider;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * A plugin's packaged zip ({@code target/*-plugin.zip}) loaded and started with PF4J the way the
 * core loads it, for each plugin's {@code PluginZipIT}: it checks the plugin started with exactly
 * one {@link CloudProvider} extension, and offers the class-loader checks every plugin makes (its
 * SDK is its own copy; the SPI and fabric8 are the application's). Closing unloads the plugin,
 * which also stops it (PF4J's {@code stopPlugins()} trips over its own list here).
 */
public final class PluginZip implements AutoCloseable {
  private final DefaultPluginManager manager;
  private final PluginWrapper plugin;
  private final CloudProvider provider;

  private PluginZip(DefaultPluginManager manager, PluginWrapper plugin, CloudProvider provider) {
    this.manager = manager;
    this.plugin = plugin;
    this.provider = provider;
  }

  /**
   * Copies the module's plugin zip into {@code pluginsDir} (a test's temporary directory), loads
   * and starts it, and checks that plugin {@code pluginId} is started with one extension.
   */
  public static PluginZip load(Path pluginsDir, String pluginId) throws IOException {
    Path zip;
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      zip =
          s.filter(p -> p.getFileName().toString().endsWith("-plugin.zip"))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("no target/*-plugin.zip: package first"));
    }
    Files.copy(zip, pluginsDir.resolve(zip.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    DefaultPluginManager pm = new DefaultPluginManager(pluginsDir);
    pm.setSystemVersion(CloudProvider.API_VERSION);
    pm.loadPlugins();
    pm.startPlugins();
    PluginWrapper plugin = pm.getPlugin(pluginId);
    assertThat(plugin).as("plugin %s", pluginId).isNotNull();
    assertThat(plugin.getPluginState()).isEqualTo(PluginState.STARTED);
    List<CloudProvider> providers = pm.getExtensions(CloudProvider.class, pluginId);
    assertThat(providers).hasSize(1);
    return new PluginZip(pm, plugin, providers.get(0));
  }

  public PluginWrapper plugin() {
    return plugin;
  }

  /** The plugin's one {@link CloudProvider}, not started yet. */
  public CloudProvider provider() {
    return provider;
  }

  /** Each class is the plugin's own copy (from its {@code lib/}), loaded by its class loader. */
  public void assertBundled(String... classNames) throws ClassNotFoundException {
    ClassLoader loader = plugin.getPluginClassLoader();
    for (String name : classNames) {
      assertThat(loader.loadClass(name).getClassLoader()).as(name).isSameAs(loader);
    }
  }

  /** The SPI and the fabric8 model come from the application, so both sides share the types. */
  public void assertSpiAndModelShared() throws ClassNotFoundException {
    ClassLoader loader = plugin.getPluginClassLoader();
    assertThat(provider.getClass().getClassLoader()).isSameAs(loader);
    assertThat(loader.loadClass(CloudProvider.class.getName())).isSameAs(CloudProvider.class);
    assertThat(loader.loadClass(HasMetadata.class.getName())).isSameAs(HasMetadata.class);
  }

  @Override
  public void close() {
    manager.unloadPlugins();
  }
}
