package dev.dovetail.plugins;

import static dev.dovetail.plugins.PluginLoadException.Reason.BROKEN_PLUGIN;
import static dev.dovetail.plugins.PluginLoadException.Reason.DUPLICATE_ID;
import static dev.dovetail.plugins.PluginLoadException.Reason.MISSING_DIRECTORY;
import static dev.dovetail.plugins.PluginLoadException.Reason.NO_PLUGINS;
import static dev.dovetail.plugins.PluginLoadException.Reason.NO_PROVIDER;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.NodeClassKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads every provider plugin of a directory through PF4J, strictly: the first problem stops the
 * load with a {@link PluginLoadException} that names the file and says what to do, instead of
 * PF4J's default of logging the error and carrying on without the plugin.
 *
 * <p>What counts as a plugin in the directory:
 *
 * <ul>
 *   <li>{@code *.jar}: a plugin JAR whose manifest carries {@code Plugin-Id}, {@code
 *       Plugin-Version} and {@code Plugin-Requires};
 *   <li>{@code *.zip}: a PF4J plugin zip ({@code plugin.properties} and {@code lib/*.jar}, for
 *       plugins with their own libraries), extracted into a private work directory because the
 *       plugins directory is often a read-only volume;
 *   <li>a directory with {@code plugin.properties} or {@code classes/META-INF/MANIFEST.MF} (an
 *       extracted zip).
 * </ul>
 *
 * Anything else (a README, hidden files, {@code lost+found}) is ignored.
 */
public final class PluginLoader {

  private final Path pluginsDir;
  private final Path workParent;
  private List<Path> extraDirs = List.of();

  /** Loads from {@code pluginsDir}, extracting zip plugins under the system temp directory. */
  public PluginLoader(Path pluginsDir) {
    this(pluginsDir, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * @param pluginsDir the directory holding the plugins
   * @param workParent where a private directory for extracted zip plugins is created
   */
  public PluginLoader(Path pluginsDir, Path workParent) {
    this.pluginsDir = Objects.requireNonNull(pluginsDir, "pluginsDir").toAbsolutePath().normalize();
    this.workParent = Objects.requireNonNull(workParent, "workParent");
  }

  public Path pluginsDir() {
    return pluginsDir;
  }

  /**
   * Also loads the plugins of these directories (e.g. the Helm chart's {@code extraPlugins},
   * mounted beside the official ones); each must exist but may be empty.
   */
  public PluginLoader withExtraDirectories(List<Path> dirs) {
    this.extraDirs = dirs.stream().map(d -> d.toAbsolutePath().normalize()).toList();
    return this;
  }

  /**
   * A loader for {@code --plugins-dir} given any number of times (none: {@code
   * DOVETAIL_PLUGINS_DIR}, a {@code :}-separated list, else the default).
   */
  public static PluginLoader forDirectories(List<Path> dirs) {
    List<Path> path = PluginsDirectory.resolveAll(dirs);
    return new PluginLoader(path.get(0)).withExtraDirectories(path.subList(1, path.size()));
  }

  /**
   * Loads and starts every plugin of the plugin path and instantiates its {@link CloudProvider}. A
   * plugin that cannot be used (corrupt archive, bad descriptor, duplicate id or provider name,
   * incompatible Plugin-Requires, no provider, failure to start) is left out and reported in {@link
   * LoadedPlugins#problems()}; the others load.
   *
   * @return the loaded plugins and the skipped ones; close them at shutdown
   * @throws PluginLoadException when a directory is missing or the path holds no plugin at all
   */
  public LoadedPlugins load() throws PluginLoadException {
    List<Path> candidates = candidates();
    Path workDir = null;
    DovetailPluginManager manager = new DovetailPluginManager(pluginsDir);
    List<PluginProblem> problems = new ArrayList<>();
    try {
      // plugin path as PF4J sees it -> the file the user put in the directory
      Map<Path, Path> origins = new LinkedHashMap<>();
      for (Path candidate : candidates) {
        try {
          if (isZip(candidate)) {
            if (workDir == null) {
              workDir = createWorkDir();
            }
            origins.put(PluginArchives.extractZip(candidate, workDir), candidate);
          } else {
            if (isJar(candidate)) {
              PluginArchives.checkJar(candidate);
            }
            origins.put(candidate, candidate);
          }
        } catch (PluginLoadException e) {
          problems.add(PluginProblem.of(candidate, null, e));
        }
      }

      // First on the path wins, as with PATH: a later plugin with the same id is skipped.
      Map<String, Path> ids = new LinkedHashMap<>();
      for (Iterator<Map.Entry<Path, Path>> it = origins.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Path, Path> plugin = it.next();
        String id = null;
        try {
          PluginDescriptor descriptor =
              PluginDescriptors.read(manager, plugin.getKey(), plugin.getValue());
          id = descriptor.getPluginId();
          PluginDescriptors.checkCompatible(manager, descriptor, plugin.getValue());
          Path previous = ids.putIfAbsent(id, plugin.getValue());
          if (previous != null) {
            throw new PluginLoadException(
                DUPLICATE_ID,
                "two plugins have the id '%s': %s and %s; the first one is used, remove the other"
                    .formatted(id, previous, plugin.getValue()));
          }
        } catch (PluginLoadException e) {
          problems.add(PluginProblem.of(plugin.getValue(), id, e));
          it.remove();
        }
      }

      // PF4J keeps a plugin it refused (DISABLED) registered, and may not unload it
      Set<Path> refused = new HashSet<>();
      for (Map.Entry<Path, Path> plugin : origins.entrySet()) {
        try {
          load(manager, plugin.getKey(), plugin.getValue());
        } catch (PluginLoadException e) {
          problems.add(PluginProblem.of(plugin.getValue(), idOf(manager, plugin.getKey()), e));
          refused.add(plugin.getKey());
          unload(manager, plugin.getKey());
        }
      }
      resolve(manager, origins, problems);
      manager.startPlugins();

      List<LoadedProvider> providers = new ArrayList<>();
      for (PluginWrapper wrapper : new ArrayList<>(manager.getPlugins())) {
        if (refused.contains(wrapper.getPluginPath())) {
          continue;
        }
        Path origin = originOf(wrapper, origins);
        try {
          if (wrapper.getPluginState() != PluginState.STARTED) {
            throw new PluginLoadException(
                BROKEN_PLUGIN,
                "plugin '%s' (%s) did not start (%s): %s"
                    .formatted(
                        wrapper.getPluginId(),
                        origin,
                        wrapper.getPluginState(),
                        describe(wrapper.getFailedException())),
                wrapper.getFailedException());
          }
          providers.add(provider(manager, wrapper, origin));
        } catch (PluginLoadException e) {
          problems.add(PluginProblem.of(origin, wrapper.getPluginId(), e));
          unload(manager, wrapper.getPluginPath());
        }
      }
      providers = uniqueNames(manager, providers, problems);
      providers.sort(Comparator.comparing(LoadedProvider::pluginId));
      return new LoadedPlugins(directories(), providers, problems, manager, workDir);
    } catch (RuntimeException | Error e) {
      LoadedPlugins.release(manager, workDir);
      throw e;
    }
  }

  /** Every directory of the plugin path, in order. */
  List<Path> directories() {
    List<Path> all = new ArrayList<>();
    all.add(pluginsDir);
    all.addAll(extraDirs);
    return all;
  }

  /**
   * Resolves the loaded plugins (Plugin-Dependencies). PF4J fails the whole resolution when one
   * plugin's dependencies are missing or cyclic; the plugins that declare dependencies are then
   * skipped, so the self-contained ones (every provider so far) still load.
   */
  private static void resolve(
      DovetailPluginManager manager, Map<Path, Path> origins, List<PluginProblem> problems) {
    try {
      manager.resolve();
    } catch (RuntimeException e) {
      for (PluginWrapper wrapper : new ArrayList<>(manager.getPlugins())) {
        if (!wrapper.getDescriptor().getDependencies().isEmpty()) {
          Path origin = originOf(wrapper, origins);
          problems.add(
              PluginProblem.of(
                  origin,
                  wrapper.getPluginId(),
                  new PluginLoadException(
                      BROKEN_PLUGIN,
                      "plugin '%s' (%s): its Plugin-Dependencies cannot be resolved: %s"
                          .formatted(wrapper.getPluginId(), origin, describe(e)))));
          unload(manager, wrapper.getPluginPath());
        }
      }
      manager.resolve();
    }
  }

  private static String idOf(DovetailPluginManager manager, Path path) {
    return manager.getPlugins().stream()
        .filter(w -> w.getPluginPath().equals(path))
        .map(PluginWrapper::getPluginId)
        .findFirst()
        .orElse(null);
  }

  /** Removes a skipped plugin from PF4J (closing its class loader), if PF4J had registered it. */
  private static void unload(DovetailPluginManager manager, Path path) {
    String id = idOf(manager, path);
    if (id != null) {
      try {
        manager.unloadPlugin(id);
      } catch (RuntimeException e) {
        // already reported as skipped; a class loader left open is harmless
      }
    }
  }

  private List<Path> candidates() throws PluginLoadException {
    if (!Files.isDirectory(pluginsDir)) {
      throw new PluginLoadException(
          MISSING_DIRECTORY,
          "plugins directory %s %s: pass --plugins-dir (or set DOVETAIL_PLUGINS_DIR) to the"
                  .formatted(
                      pluginsDir,
                      Files.exists(pluginsDir) ? "is not a directory" : "does not exist")
              + " directory holding the provider plugins (the distribution ships them in its"
              + " plugins/ directory)");
    }
    List<Path> entries;
    try (Stream<Path> list = Files.list(pluginsDir)) {
      entries = list.sorted().toList();
    } catch (IOException e) {
      throw new PluginLoadException(
          MISSING_DIRECTORY, "cannot list plugins directory %s: %s".formatted(pluginsDir, e), e);
    }
    List<Path> candidates =
        new ArrayList<>(entries.stream().filter(PluginLoader::isCandidate).toList());
    for (Path extra : extraDirs) {
      if (!Files.isDirectory(extra)) {
        throw new PluginLoadException(
            MISSING_DIRECTORY,
            "extra plugins directory %s does not exist or is not a directory".formatted(extra));
      }
      try (Stream<Path> list = Files.list(extra)) {
        list.sorted().filter(PluginLoader::isCandidate).forEach(candidates::add);
      } catch (IOException e) {
        throw new PluginLoadException(
            MISSING_DIRECTORY, "cannot list plugins directory %s: %s".formatted(extra, e), e);
      }
    }
    if (candidates.isEmpty()) {
      String seen =
          entries.isEmpty()
              ? "it is empty"
              : "it holds no .jar, .zip or plugin directory, only "
                  + entries.stream()
                      .map(p -> p.getFileName().toString())
                      .collect(Collectors.joining(", "));
      throw new PluginLoadException(
          NO_PLUGINS,
          "no plugins in %s (%s): copy the provider plugin JARs or zips there, or point"
                  .formatted(pluginsDir, seen)
              + " --plugins-dir at the distribution's plugins/ directory");
    }
    return candidates;
  }

  private static boolean isCandidate(Path path) {
    String name = path.getFileName().toString();
    if (name.startsWith(".")) {
      return false;
    }
    if (Files.isRegularFile(path)) {
      return isJar(path) || isZip(path);
    }
    return Files.isDirectory(path)
        && (Files.isRegularFile(path.resolve("plugin.properties"))
            || Files.isRegularFile(path.resolve("classes/META-INF/MANIFEST.MF")));
  }

  static boolean isJar(Path path) {
    return path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jar");
  }

  static boolean isZip(Path path) {
    return Files.isRegularFile(path)
        && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
  }

  private Path createWorkDir() throws PluginLoadException {
    try {
      Files.createDirectories(workParent);
      return Files.createTempDirectory(workParent, "dovetail-plugins-");
    } catch (IOException e) {
      throw new PluginLoadException(
          BROKEN_PLUGIN,
          "cannot create a directory under %s to extract zip plugins into (%s): make it writable"
                  .formatted(workParent, e)
              + " or set java.io.tmpdir",
          e);
    }
  }

  private static void load(DovetailPluginManager manager, Path path, Path origin)
      throws PluginLoadException {
    PluginWrapper wrapper;
    try {
      wrapper = manager.loadFrom(path);
    } catch (RuntimeException | LinkageError e) {
      throw new PluginLoadException(
          BROKEN_PLUGIN, "cannot load plugin %s: %s".formatted(origin, describe(e)), e);
    }
    if (wrapper.getPluginState() == PluginState.DISABLED) {
      // PF4J's only reason to disable a plugin here is a failed Plugin-Requires check.
      throw PluginDescriptors.incompatible(wrapper.getDescriptor(), origin);
    }
  }

  private static LoadedProvider provider(
      DovetailPluginManager manager, PluginWrapper wrapper, Path origin)
      throws PluginLoadException {
    String id = wrapper.getPluginId();
    String version = wrapper.getDescriptor().getVersion();
    ClassLoader classLoader = wrapper.getPluginClassLoader();
    List<String> providerClasses = new ArrayList<>();
    for (String className : manager.getExtensionClassNames(id)) {
      Class<?> type;
      try {
        type = Class.forName(className, false, classLoader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new PluginLoadException(
            BROKEN_PLUGIN,
            "plugin '%s' (%s): extension class %s cannot be loaded (%s)%s"
                .formatted(id, origin, className, describe(e), missingLibraryHint(e)),
            e);
      }
      if (CloudProvider.class.isAssignableFrom(type)) {
        providerClasses.add(className);
      } else if (implementsForeignCloudProvider(type)) {
        throw new PluginLoadException(
            BROKEN_PLUGIN,
            "plugin '%s' (%s) bundles its own copy of the plugin-api: remove dovetail-plugin-api from"
                    .formatted(id, origin)
                + " its lib/ (it must be a provided dependency)");
      }
    }
    if (providerClasses.isEmpty()) {
      throw new PluginLoadException(
          NO_PROVIDER,
          ("plugin '%s' (%s) contributes no CloudProvider extension (nothing in"
                  + " META-INF/extensions.idx): annotate its provider class with @Extension and"
                  + " build it with PF4J's annotation processor")
              .formatted(id, origin));
    }
    if (providerClasses.size() > 1) {
      throw new PluginLoadException(
          BROKEN_PLUGIN,
          "plugin '%s' (%s) contributes %d CloudProvider extensions (%s); a plugin must contribute"
                  .formatted(id, origin, providerClasses.size(), String.join(", ", providerClasses))
              + " exactly one");
    }
    try {
      // constructors and static initializers of cloud SDKs also look at the context class loader
      List<CloudProvider> instances =
          PluginContextProvider.withContext(
              classLoader, () -> manager.getExtensions(CloudProvider.class, id));
      if (instances.size() != 1) {
        throw new PluginLoadException(
            BROKEN_PLUGIN,
            "plugin '%s' (%s): PF4J could not create its CloudProvider %s (is it annotated"
                    .formatted(id, origin, providerClasses.get(0))
                + " @Extension and public with a no-argument constructor?)");
      }
      CloudProvider provider = PluginContextProvider.wrap(instances.get(0), classLoader);
      List<NodeClassKind> kinds = provider.supportedNodeClasses();
      return new LoadedProvider(
          id,
          version,
          origin,
          Optional.of(provider),
          provider.functional(),
          Objects.requireNonNullElse(provider.status(), ""),
          kinds == null ? List.of() : kinds);
    } catch (RuntimeException | LinkageError e) {
      throw new PluginLoadException(
          BROKEN_PLUGIN,
          "plugin '%s' (%s): its CloudProvider %s failed to initialize: %s%s"
              .formatted(id, origin, providerClasses.get(0), describe(e), missingLibraryHint(e)),
          e);
    }
  }

  private static boolean implementsForeignCloudProvider(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (i.getName().equals(CloudProvider.class.getName()) && i != CloudProvider.class) {
          return true;
        }
      }
    }
    return false;
  }

  /** Two providers with one name: the first on the path is used, the other skipped. */
  private static List<LoadedProvider> uniqueNames(
      DovetailPluginManager manager, List<LoadedProvider> providers, List<PluginProblem> problems) {
    Map<String, LoadedProvider> byName = new LinkedHashMap<>();
    for (LoadedProvider provider : providers) {
      LoadedProvider other = byName.putIfAbsent(provider.name(), provider);
      if (other != null) {
        problems.add(
            PluginProblem.of(
                provider.source(),
                provider.pluginId(),
                new PluginLoadException(
                    DUPLICATE_ID,
                    ("two plugins provide a provider named '%s': %s and %s; the first one is used,"
                            + " remove the other")
                        .formatted(provider.name(), other.source(), provider.source()))));
        manager.getPlugins().stream()
            .filter(w -> w.getPluginId().equals(provider.pluginId()))
            .findFirst()
            .ifPresent(w -> unload(manager, w.getPluginPath()));
      }
    }
    return new ArrayList<>(byName.values());
  }

  private static Path originOf(PluginWrapper wrapper, Map<Path, Path> origins) {
    return origins.getOrDefault(wrapper.getPluginPath(), wrapper.getPluginPath());
  }

  /** A hint when a class was missing: the usual cause is a plugin shipped without its libraries. */
  private static String missingLibraryHint(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError) {
        return "; a library it needs is missing: a plugin with its own dependencies must ship as a"
            + " PF4J zip with them in lib/";
      }
    }
    return "";
  }

  static String describe(Throwable e) {
    if (e == null) {
      return "unknown error";
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : ": " + root.getMessage();
    return root.getClass().getSimpleName() + message;
  }
}
