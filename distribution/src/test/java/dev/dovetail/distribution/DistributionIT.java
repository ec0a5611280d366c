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

  /** The official plugins plus a truncated copy of one of them, as a bad download would leave. */
  private Path pluginsWithACorruptJar() throws IOException {
    Path copy = Files.createDirectories(tmp.resolve("plugins-copy"));
    for (String name : names(dist.resolve("plugins"))) {
      Files.copy(dist.resolve("plugins").resolve(name), copy.resolve(name));
    }
    byte[] good =
        Files.readAllBytes(dist.resolve("plugins/dovetail-plugin-simulated-" + version + ".jar"));
    Files.write(copy.resolve("broken.jar"), Arrays.copyOf(good, good.length / 2));
    return copy;
  }

  @Test
  void corruptJarNextToTheOfficialPluginsIsNamedAndSkippedByPlugins() throws Exception {
    Path copy = pluginsWithACorruptJar();

    Result result = run("plugins", "--plugins-dir", copy.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out().lines()).hasSize(OFFICIAL_PLUGINS.size());
    assertThat(result.err())
        .contains("warning: skipped " + copy.resolve("broken.jar") + ": ")
        .contains("not a readable JAR");
  }

  @Test
  void corruptJarNextToTheOfficialPluginsDoesNotStopTheDemo() throws Exception {
    Path copy = pluginsWithACorruptJar();
    Path summary = tmp.resolve("summary.json");

    Result result =
        run(
            "demo",
            "--plugins-dir",
            copy.toString(),
            "--provider",
            "simulated",
            "--pods",
            "20",
            "--no-scale-down",
            "--metrics-port",
            "-1",
            "--summary-json",
            summary.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.err()).contains("skipped " + copy.resolve("broken.jar"));
    assertThat(Files.readString(summary)).containsPattern("\"pending\"\\s*:\\s*0\\b");
  }

  @Test
  void runWithACorruptJarBesideLoadsTheSelectedProviderThenNamesTheUnreachableApiServer()
      throws Exception {
    Path copy = pluginsWithACorruptJar();
    Path kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: nowhere
          cluster: {server: "https://127.0.0.1:1"}
        users:
        - name: nobody
          user: {token: "t"}
        contexts:
        - name: nowhere
          context: {cluster: nowhere, user: nobody}
        current-context: nowhere
        """);

    Result result =
        run(
            "run",
            "--provider",
            "simulated",
            "--plugins-dir",
            copy.toString(),
            "--kubeconfig",
            kubeconfig.toString(),
            "--log-format",
            "text");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains("skipped " + copy.resolve("broken.jar"))
        .contains("provider simulated loaded from plugin simulated " + version)
        .contains("dovetail-plugin-simulated-" + version + ".jar")
        .contains("error: cannot reach the Kubernetes API server at https://127.0.0.1:1");
    assertThat(result.err()).doesNotContain("\tat ");
  }

  @Test
  void missingKubeconfigIsOneLineNamingThePath() throws Exception {
    Path missing = tmp.resolve("no-such-kubeconfig");
    Result result = run("run", "--provider", "simulated", "--kubeconfig", missing.toString());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err().strip())
        .isEqualTo(
            "error: kubeconfig "
                + missing
                + " does not exist (--kubeconfig or KUBECONFIG): point it at a readable"
                + " kubeconfig file, or leave both unset to use the in-cluster service account");
  }

  @Test
  void environmentVariableIsAPathList() throws Exception {
    Path extra = Files.createDirectories(tmp.resolve("extra-plugins"));
    Files.writeString(extra.resolve("garbage.jar"), "not a jar");
    Result result =
        run(
            dist.resolve("bin/dovetail"),
            tmp,
            Map.of("DOVETAIL_PLUGINS_DIR", dist.resolve("plugins") + ":" + extra),
            "plugins");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out().lines()).hasSize(OFFICIAL_PLUGINS.size());
    assertThat(result.err()).contains("warning: skipped " + extra.resolve("garbage.jar"));
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
