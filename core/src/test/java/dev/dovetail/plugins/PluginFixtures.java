package dev.dovetail.plugins;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds PF4J plugins on the fly, as PF4J's own tests do: a provider class is compiled at test time
 * into a package that exists nowhere on the test classpath, then packaged with its manifest (or
 * plugin.properties) and META-INF/extensions.idx. So a provider found by the loader can only have
 * come from the plugin's class loader.
 */
final class PluginFixtures {

  static final String COMPATIBLE = ">=0.1.0 & <0.2.0";

  private final Path work;
  private int counter;

  PluginFixtures(Path work) {
    this.work = work;
  }

  /** Options of one provider plugin. */
  record Spec(
      String id,
      String version,
      String requires,
      String providerName,
      boolean functional,
      String status,
      boolean withExtension) {

    static Spec of(String id) {
      return new Spec(id, "1.2.3", COMPATIBLE, id, true, "ready", true);
    }

    Spec requires(String r) {
      return new Spec(id, version, r, providerName, functional, status, withExtension);
    }

    Spec providerName(String n) {
      return new Spec(id, version, requires, n, functional, status, withExtension);
    }

    Spec notFunctional(String s) {
      return new Spec(id, version, requires, providerName, false, s, withExtension);
    }

    Spec withoutExtension() {
      return new Spec(id, version, requires, providerName, functional, status, false);
    }
  }

  static String packageOf(Spec spec) {
    return "com.example.plugins." + spec.id().replaceAll("[^A-Za-z0-9]", "_");
  }

  static String providerClassOf(Spec spec) {
    return packageOf(spec) + ".FixtureProvider";
  }

  /** A plugin JAR whose manifest is the descriptor. */
  Path jar(Path dir, String fileName, Spec spec) throws IOException {
    Path classes = compileProvider(spec, null);
    Manifest manifest = manifest();
    Attributes a = manifest.getMainAttributes();
    a.putValue("Plugin-Id", spec.id());
    a.putValue("Plugin-Version", spec.version());
    a.putValue("Plugin-Provider", "Dovetail tests");
    if (spec.requires() != null) {
      a.putValue("Plugin-Requires", spec.requires());
    }
    Path jar = dir.resolve(fileName);
    writeJar(jar, manifest, classes);
    return jar;
  }

  /**
   * A PF4J plugin zip: plugin.properties and lib/ holding the plugin JAR and a library the provider
   * calls ({@code status()} comes from the library, so the provider only works if lib/ is on the
   * plugin's class path).
   */
  Path zip(Path dir, String fileName, Spec spec) throws IOException {
    return zip(dir, fileName, spec, List.of());
  }

  /** A plugin zip whose lib/ also holds {@code extraLibs} (copied in as they are). */
  Path zip(Path dir, String fileName, Spec spec, List<Path> extraLibs) throws IOException {
    String helperPackage = packageOf(spec) + ".lib";
    Path helperClasses =
        compile(
            Map.of(
                helperPackage + ".Helper",
                "package %s; public final class Helper { public static String status() { return \"%s\"; } }"
                    .formatted(helperPackage, spec.status() + " (from lib)")),
            List.of());
    Path providerClasses = compileProvider(spec, helperClasses);
    Path staging = Files.createTempDirectory(work, "zip");
    Path lib = Files.createDirectories(staging.resolve("lib"));
    writeJar(lib.resolve(spec.id() + "-plugin.jar"), manifest(), providerClasses);
    writeJar(lib.resolve("helper-lib.jar"), manifest(), helperClasses);
    for (Path extra : extraLibs) {
      Files.copy(extra, lib.resolve(extra.getFileName()));
    }
    Properties props = new Properties();
    props.setProperty("plugin.id", spec.id());
    props.setProperty("plugin.version", spec.version());
    props.setProperty("plugin.provider", "Dovetail tests");
    if (spec.requires() != null) {
      props.setProperty("plugin.requires", spec.requires());
    }
    StringWriter text = new StringWriter();
    props.store(text, null);
    Files.writeString(staging.resolve("plugin.properties"), text.toString());
    Path zip = dir.resolve(fileName);
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
        Stream<Path> files = Files.walk(staging)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new ZipEntry(staging.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
    return zip;
  }

  /**
   * A plugin JAR whose provider needs a library (for {@code status()}) that the JAR does not ship:
   * what a plugin with dependencies looks like when packaged as a plain JAR by mistake.
   */
  Path jarMissingItsLibrary(Path dir, String fileName, Spec spec) throws IOException {
    String helperPackage = packageOf(spec) + ".lib";
    Path helperClasses =
        compile(
            Map.of(
                helperPackage + ".Helper",
                "package %s; public final class Helper { public static String status() { return \"x\"; } }"
                    .formatted(helperPackage)),
            List.of());
    Path classes = compileProvider(spec, helperClasses);
    Manifest manifest = manifest();
    manifest.getMainAttributes().putValue("Plugin-Id", spec.id());
    manifest.getMainAttributes().putValue("Plugin-Version", spec.version());
    manifest.getMainAttributes().putValue("Plugin-Requires", spec.requires());
    Path jar = dir.resolve(fileName);
    writeJar(jar, manifest, classes);
    return jar;
  }

  /**
   * A JAR of the plugin-api classes the test runs with (as a plugin would bundle it by mistake).
   */
  Path pluginApiJar(Path dir) throws Exception {
    Path location =
        Path.of(
            dev.dovetail.cloudprovider.CloudProvider.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    Path jar = dir.resolve("dovetail-plugin-api-copy.jar");
    if (Files.isDirectory(location)) {
      writeJar(jar, manifest(), location);
    } else {
      Files.copy(location, jar);
    }
    return jar;
  }

  /** A plain library JAR (no Plugin-Id). */
  Path libraryJar(Path dir, String fileName) throws IOException {
    Path classes =
        compile(
            Map.of("com.example.lib.Util", "package com.example.lib; public class Util {}"),
            List.of());
    Path jar = dir.resolve(fileName);
    writeJar(jar, manifest(), classes);
    return jar;
  }

  private Path compileProvider(Spec spec, Path helperClasses) throws IOException {
    String pkg = packageOf(spec);
    String status =
        helperClasses == null ? "\"" + spec.status() + "\"" : pkg + ".lib.Helper.status()";
    String source =
        """
        package %s;

        import dev.dovetail.cloudprovider.*;
        import java.util.List;

        @org.pf4j.Extension
        public class FixtureProvider implements CloudProvider {
          public String name() { return "%s"; }
          public boolean functional() { return %s; }
          public String status() { return %s; }
          public List<NodeClassKind> supportedNodeClasses() {
            return List.of(new NodeClassKind("test.dovetail.dev", "v1", "FixtureNodeClass",
                io.fabric8.kubernetes.api.model.ConfigMap.class));
          }
          public Instance create(NodeClaimView nodeClaim) { throw new UnsupportedOperationException(); }
          public void delete(String providerId) { throw new UnsupportedOperationException(); }
          public Instance get(String providerId) { throw new UnsupportedOperationException(); }
          public List<Instance> list() { return List.of(); }
          public java.util.Optional<String> isDrifted(NodeClaimView nodeClaim) {
            return java.util.Optional.of(
                String.valueOf(Thread.currentThread().getContextClassLoader()));
          }
          public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
            return List.of();
          }
        }
        """
            .formatted(pkg, spec.providerName(), spec.functional(), status);
    Path classes =
        compile(
            Map.of(providerClassOf(spec), source),
            helperClasses == null ? List.of() : List.of(helperClasses));
    if (spec.withExtension()) {
      Path idx = classes.resolve("META-INF/extensions.idx");
      Files.createDirectories(idx.getParent());
      Files.writeString(idx, providerClassOf(spec) + "\n");
    }
    return classes;
  }

  /** Compiles sources (fully qualified class name to source) with the test class path. */
  Path compile(Map<String, String> sources, List<Path> extraClasspath) throws IOException {
    Path root = Files.createDirectories(work.resolve("compile-" + counter++));
    Path src = Files.createDirectories(root.resolve("src"));
    Path out = Files.createDirectories(root.resolve("classes"));
    List<String> files = new ArrayList<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      files.add(file.toString());
    }
    StringBuilder classpath = new StringBuilder(System.getProperty("java.class.path"));
    for (Path extra : extraClasspath) {
      classpath.append(java.io.File.pathSeparator).append(extra);
    }
    List<String> args =
        new ArrayList<>(List.of("-proc:none", "-d", out.toString(), "-cp", classpath.toString()));
    args.addAll(files);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int rc = javac.run(null, err, err, args.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException(
          "fixture does not compile:\n" + err.toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  private static Manifest manifest() {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    return manifest;
  }

  static void writeJar(Path jar, Manifest manifest, Path classes) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }
}
