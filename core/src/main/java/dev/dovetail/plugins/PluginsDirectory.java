package dev.dovetail.plugins;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where plugins are looked for: {@code --plugins-dir} (repeatable), else {@code
 * DOVETAIL_PLUGINS_DIR} (one directory or a {@code :}-separated list), else {@code plugins/} next
 * to the distribution, found from the core jar ({@code <dist>/lib/dovetail-core.jar} gives {@code
 * <dist>/plugins}), else {@code ./plugins}.
 */
public final class PluginsDirectory {

  /** The environment variable that overrides the default directory. */
  public static final String ENV = "DOVETAIL_PLUGINS_DIR";

  private PluginsDirectory() {}

  /**
   * The plugin path: every {@code --plugins-dir} given, else each entry of {@code
   * DOVETAIL_PLUGINS_DIR} (a list separated like PATH, {@code :} on Unix), else the default
   * directory. Never empty.
   */
  public static List<Path> resolveAll(List<Path> options) {
    return resolveAll(options, System.getenv(), coreLocation());
  }

  /** {@link #resolveAll(List)} with an explicit environment and core location. */
  public static List<Path> resolveAll(
      List<Path> options, Map<String, String> env, Optional<Path> coreLocation) {
    if (options != null && !options.isEmpty()) {
      return options.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      List<Path> path =
          Arrays.stream(fromEnv.split(Pattern.quote(File.pathSeparator)))
              .filter(entry -> !entry.isBlank())
              .map(entry -> Path.of(entry.strip()).toAbsolutePath().normalize())
              .distinct()
              .toList();
      if (!path.isEmpty()) {
        return path;
      }
    }
    return List.of(resolve(null, Map.of(), coreLocation));
  }

  /** Resolves with the process environment and the location of the running core. */
  public static Path resolve(Path option) {
    return resolve(option, System.getenv(), coreLocation());
  }

  /**
   * @param option the {@code --plugins-dir} value, or null
   * @param env the environment
   * @param coreLocation the jar or classes directory the core was loaded from, if known
   */
  public static Path resolve(Path option, Map<String, String> env, Optional<Path> coreLocation) {
    if (option != null) {
      return option.toAbsolutePath().normalize();
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv).toAbsolutePath().normalize();
    }
    return coreLocation
        .flatMap(PluginsDirectory::besideDistribution)
        .orElseGet(() -> Path.of("plugins").toAbsolutePath().normalize());
  }

  private static Optional<Path> besideDistribution(Path core) {
    Path lib = core.toAbsolutePath().normalize().getParent();
    if (core.getFileName().toString().endsWith(".jar")
        && lib != null
        && lib.getFileName() != null
        && lib.getFileName().toString().equals("lib")
        && lib.getParent() != null) {
      return Optional.of(lib.getParent().resolve("plugins"));
    }
    return Optional.empty();
  }

  private static Optional<Path> coreLocation() {
    CodeSource source = PluginsDirectory.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
