package dev.dovetail.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the assembled distribution (target/dovetail) as a user would: the real bin/dovetail launcher
 * in its own JVM, loading the reactor-built plugin artifacts from plugins/ through PF4J.
 */
class DistributionIT {

  static final List<String> OFFICIAL_PLUGINS =
      List.of("aws", "azure", "clusterapi", "gcp", "simulated");

  static Path dist;
  static String version;

  @TempDir Path tmp;

  @BeforeAll
  static void locate() {
    dist = Path.of(System.getProperty("dovetail.dist", "target/dovetail")).toAbsolutePath();
    version = System.getProperty("dovetail.version", "0.1.0-SNAPSHOT");
    assertThat(dist.resolve("bin/dovetail")).as("assembled distribution").exists();
  }

  record Result(int exit, String out, String err) {}

  /** Runs {@code launcher args} from {@code cwd} with a clean environment plus {@code env}. */
  private Result run(Path launcher, Path cwd, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().remove("DOVETAIL_PLUGINS_DIR");
    pb.environment().remove("JAVA_OPTS");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Path out = tmp.resolve("stdout-" + System.nanoTime());
    Path err = tmp.resolve("stderr-" + System.nanoTime());
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = pb.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("launcher did not finish: " + command);
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private Result run(String... args) throws IOException, InterruptedException {
    return run(dist.resolve("bin/dovetail"), tmp, Map.of(), args);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void layoutHasLauncherLibAndOneArtifactPerOfficialPlugin() throws IOException {
    assertThat(Files.getPosixFilePermissions(dist.resolve("bin/dovetail")))
        .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
    assertThat(Files.readString(dist.resolve("bin/dovetail"))).startsWith("#!/bin/sh\n");

    List<String> lib = names(dist.resolve("lib"));
    assertThat(lib)
        .contains(
            "dovetail-core-" + version + ".jar",
            "dovetail-plugin-api-" + version + ".jar",
            "pf4j-3.15.0.jar",
            "picocli-4.7.7.jar");
    assertThat(lib).noneMatch(n -> n.matches("dovetail-plugin-(?!api-).*"));

    List<String> plugins = names(dist.resolve("plugins"));
    assertThat(plugins).hasSize(OFFICIAL_PLUGINS.size());
    for (String id : OFFICIAL_PLUGINS) {
      String prefix = "dovetail-plugin-" + id + "-" + version;
      assertThat(plugins)
          .anyMatch(n -> n.equals(prefix + ".jar") || n.equals(prefix + "-plugin.zip"));
    }
  }

  @Test
  void pluginsCommandListsEveryOfficialPluginThroughASymlinkFromAnyDirectory() throws Exception {
    Path binDir = Files.createDirectories(tmp.resolve("usr/local/bin"));
    Path link = Files.createSymbolicLink(binDir.resolve("dovetail"), dist.resolve("bin/dovetail"));
    Path elsewhere = Files.createDirectories(tmp.resolve("somewhere/else"));

    Result result;
    try {
      result = run(link, elsewhere, Map.of(), "plugins");
    } finally {
      Files.delete(link);
    }

    assertThat(result.exit()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(OFFICIAL_PLUGINS.size());
    for (int i = 0; i < OFFICIAL_PLUGINS.size(); i++) {
      // <id> <version> <functional|not functional> <status>
      assertThat(lines.get(i))
          .matches(
              OFFICIAL_PLUGINS.get(i)
                  + " "
                  + version.replace(".", "\\.")
                  + " (functional|not functional) \\S.*");
    }
  }

  /**
   * A plugin artifact that indexes an extension must be loaded with it: this catches plugins whose
   * classes do not link against what the core provides at run time (the unit tests cannot, since
   * they compile their fixture plugins against the test class path).
   */
  @Test
  void everyPluginThatShipsAnExtensionIndexIsLoadedWithItsProvider() throws Exception {
    Result result = run("plugins");
    assertThat(result.exit()).as(result.err()).isZero();
    for (String file : names(dist.resolve("plugins"))) {
      if (!shipsExtensionIndex(dist.resolve("plugins").resolve(file))) {
        continue;
      }
      String id =
          OFFICIAL_PLUGINS.stream()
              .filter(i -> file.startsWith("dovetail-plugin-" + i + "-"))
              .findFirst()
              .orElseThrow();
      assertThat(result.out().lines())
          .filteredOn(l -> l.startsWith(id + " "))
          .singleElement()
          .satisfies(l -> assertThat(l).doesNotContain("no CloudProvider extension"));
    }
  }

  /** Whether the plugin JAR, or a JAR in the plugin zip's lib/, has META-INF/extensions.idx. */
  private static boolean shipsExtensionIndex(Path artifact) throws IOException {
    try (ZipFile zip = new ZipFile(artifact.toFile())) {
      if (zip.getEntry("META-INF/extensions.idx") != null) {
        return true;
      }
      for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
        if (entry.getName().startsWith("lib/") && entry.getName().endsWith(".jar")) {
          try (ZipInputStream jar = new ZipInputStream(zip.getInputStream(entry))) {
            for (ZipEntry e = jar.getNextEntry(); e != null; e = jar.getNextEntry()) {
              if (e.getName().equals("META-INF/extensions.idx")) {
                return true;
              }
            }
          }
        }
      }
    }
    return false;
  }

  @Test
  void corruptJarInAPluginsDirectoryIsAClearErrorWithExitCode2() throws Exception {
    Path copy = Files.createDirectories(tmp.resolve("plugins-copy"));
    for (String name : names(dist.resolve("plugins"))) {
      Files.copy(dist.resolve("plugins").resolve(name), copy.resolve(name));
    }
    byte[] good =
        Files.readAllBytes(dist.resolve("plugins/dovetail-plugin-simulated-" + version + ".jar"));
    Files.write(copy.resolve("broken.jar"), Arrays.copyOf(good, good.length / 2));

    Result result = run("plugins", "--plugins-dir", copy.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .startsWith("error: ")
        .contains(copy.resolve("broken.jar").toString())
        .contains("not a readable JAR");
  }

  @Test
  void environmentVariableChoosesThePluginsDirectory() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty-plugins"));
    Result result =
        run(
            dist.resolve("bin/dovetail"),
            tmp,
            Map.of("DOVETAIL_PLUGINS_DIR", empty.toString()),
            "plugins");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).startsWith("error: no plugins in " + empty);
  }

  @Test
  void helpListsThePluginsCommand() throws Exception {
    Result result = run("--help");
    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("plugins");
  }

  @Test
  void dockerfilePackagesThisDistributionAsNonRoot() throws IOException {
    Path dockerfile = Path.of(System.getProperty("dovetail.dockerfile", "../Dockerfile"));
    List<String> lines =
        Files.readAllLines(dockerfile).stream()
            .map(String::strip)
            .filter(l -> !l.startsWith("#"))
            .toList();
    assertThat(lines)
        .contains("FROM eclipse-temurin:17-jre", "USER 65532:65532", "EXPOSE 8080 8081");
    assertThat(lines).contains("COPY distribution/target/dovetail /opt/dovetail");
    assertThat(dockerfile.getParent().resolve("distribution/target/dovetail")).isDirectory();
    assertThat(lines).contains("ENTRYPOINT [\"/opt/dovetail/bin/dovetail\"]");
  }
}
