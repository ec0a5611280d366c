package dev.dovetail.plugins;

import dev.dovetail.cloudprovider.CloudProvider;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.BasePluginLoader;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.CompoundPluginRepository;
import org.pf4j.DefaultExtensionFinder;
import org.pf4j.DefaultPluginClasspath;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFinder;
import org.pf4j.IndexedExtensionFinder;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;
import org.pf4j.PluginRepository;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.pf4j.processor.ExtensionStorage;
import org.pf4j.util.FileUtils;

/**
 * PF4J's {@link DefaultPluginManager} narrowed to what Dovetail needs.
 *
 * <ul>
 *   <li>The system version is the plugin-api version, so PF4J enforces each plugin's {@code
 *       Plugin-Requires}.
 *   <li>{@link PluginLoader} decides which paths are plugins (and extracts zips into a private work
 *       directory, because the plugins directory is often a read-only volume), then calls {@link
 *       #loadFrom(Path)} for each one; PF4J's own directory scan, which logs and skips failures, is
 *       not used.
 *   <li>Plugin class loaders resolve the classes the core shares with plugins (the SPI, fabric8
 *       models, Jackson, SLF4J) from the core first: a plugin that bundles its own copy in lib/
 *       would otherwise get types that the core cannot use ("different class loaders").
 * </ul>
 */
final class DovetailPluginManager extends DefaultPluginManager {

  /** Packages whose classes a plugin must see as the core's (prefix match). */
  static final List<String> SHARED_PACKAGES =
      List.of("dev.dovetail.", "io.fabric8.", "com.fasterxml.jackson.", "org.slf4j.");

  DovetailPluginManager(Path pluginsDir) {
    super(pluginsDir);
    setSystemVersion(CloudProvider.API_VERSION);
    setExactVersionAllowed(false);
  }

  @Override
  public RuntimeMode getRuntimeMode() {
    // Never development mode (which would read target/classes layouts) whatever pf4j.mode says.
    return RuntimeMode.DEPLOYMENT;
  }

  @Override
  protected PluginRepository createPluginRepository() {
    // Discovery is PluginLoader's job; PF4J's repository would unzip into the plugins directory.
    return new CompoundPluginRepository();
  }

  @Override
  protected PluginStatusProvider createPluginStatusProvider() {
    // Every plugin found is enabled: --provider selects the one to run, not enabled.txt files.
    return new PluginStatusProvider() {
      @Override
      public boolean isPluginDisabled(String pluginId) {
        return false;
      }

      @Override
      public void disablePlugin(String pluginId) {
        throw new UnsupportedOperationException("plugins are selected with --provider");
      }

      @Override
      public void enablePlugin(String pluginId) {}
    };
  }

  @Override
  protected ExtensionFinder createExtensionFinder() {
    DefaultExtensionFinder finder =
        new DefaultExtensionFinder(this) {
          {
            finders.clear();
            add(new EveryIndexExtensionFinder(DovetailPluginManager.this));
          }
        };
    addPluginStateListener(finder);
    return finder;
  }

  @Override
  protected org.pf4j.PluginLoader createPluginLoader() {
    return new CompoundPluginLoader()
        .add(new SharedFirstJarLoader(this))
        .add(new SharedFirstDirectoryLoader(this));
  }

  /** Loads one plugin (a .jar or an already-extracted directory) through PF4J. */
  PluginWrapper loadFrom(Path path) {
    return loadPluginFromPath(path);
  }

  /** Reads a plugin's descriptor (plugin.properties, else the manifest) as PF4J would. */
  PluginDescriptor descriptorOf(Path path) {
    return getPluginDescriptorFinder().find(path);
  }

  /** Moves loaded plugins to RESOLVED (checks Plugin-Dependencies). */
  void resolve() {
    resolvePlugins();
  }

  /**
   * Reads every {@code META-INF/extensions.idx} of a plugin's own class path. PF4J 3.15 reads only
   * the first one its class loader finds, which can be a library's in lib/ (anything compiled with
   * PF4J on its class path gets an empty index) or, for a plugin without one, the core's: the
   * plugin's real extensions would then silently vanish.
   */
  static final class EveryIndexExtensionFinder extends IndexedExtensionFinder {
    EveryIndexExtensionFinder(PluginManager pluginManager) {
      super(pluginManager);
    }

    @Override
    public Map<String, Set<String>> readClasspathStorages() {
      return Map.of(); // the core contributes no extensions; only plugins do
    }

    @Override
    public Map<String, Set<String>> readPluginsStorages() {
      Map<String, Set<String>> result = new LinkedHashMap<>();
      for (PluginWrapper plugin : pluginManager.getPlugins()) {
        Set<String> bucket = new LinkedHashSet<>();
        if (plugin.getPluginClassLoader() instanceof PluginClassLoader own) {
          try {
            // findResources: this plugin's own URLs only, never the parent's
            for (URL url : Collections.list(own.findResources(EXTENSIONS_RESOURCE))) {
              try (Reader reader =
                  new InputStreamReader(url.openStream(), StandardCharsets.UTF_8)) {
                ExtensionStorage.read(reader, bucket);
              }
            }
          } catch (IOException e) {
            throw new PluginRuntimeException(e, "cannot read {}", EXTENSIONS_RESOURCE);
          }
        }
        result.put(plugin.getPluginId(), bucket);
      }
      return result;
    }
  }

  private static final class SharedFirstJarLoader extends JarPluginLoader {
    SharedFirstJarLoader(PluginManager pluginManager) {
      super(pluginManager);
    }

    @Override
    public boolean isApplicable(Path pluginPath) {
      return java.nio.file.Files.isRegularFile(pluginPath) && FileUtils.isJarFile(pluginPath);
    }

    @Override
    protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor descriptor) {
      return new SharedFirstClassLoader(pluginManager, descriptor, getClass().getClassLoader());
    }
  }

  /** A PF4J plugin directory: classes/ and lib/*.jar (what a plugin zip extracts to). */
  private static final class SharedFirstDirectoryLoader extends BasePluginLoader {
    SharedFirstDirectoryLoader(PluginManager pluginManager) {
      super(pluginManager, new DefaultPluginClasspath());
    }

    @Override
    public boolean isApplicable(Path pluginPath) {
      return java.nio.file.Files.isDirectory(pluginPath);
    }

    @Override
    protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor descriptor) {
      return new SharedFirstClassLoader(pluginManager, descriptor, getClass().getClassLoader());
    }
  }

  /**
   * Plugin-first like PF4J's default, except for {@link #SHARED_PACKAGES}, which come from the core
   * when the core has them (a plugin's own classes under {@code dev.dovetail.} are still found in
   * the plugin, since the core does not have them).
   */
  static final class SharedFirstClassLoader extends PluginClassLoader {
    SharedFirstClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
      super(manager, descriptor, parent);
    }

    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
      if (isShared(className)) {
        synchronized (getClassLoadingLock(className)) {
          try {
            return getParent().loadClass(className);
          } catch (ClassNotFoundException notInCore) {
            // not part of the core: the plugin's own class
          }
        }
      }
      return super.loadClass(className);
    }

    private static boolean isShared(String className) {
      for (String prefix : SHARED_PACKAGES) {
        if (className.startsWith(prefix)) {
          return true;
        }
      }
      return false;
    }
  }
}
