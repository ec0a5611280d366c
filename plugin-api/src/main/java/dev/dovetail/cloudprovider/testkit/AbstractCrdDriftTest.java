package dev.dovetail.cloudprovider.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs shipped in {@code charts/dovetail/crds/} must be exactly what fabric8's CRD generator
 * makes from a module's Java model (it writes {@code
 * target/classes/META-INF/fabric8/<plural>.<group>- <version>.yml} at process-classes). Every
 * module that generates CRDs (core and each plugin) runs this check with a one-line subclass in its
 * test sources:
 *
 * <pre>{@code
 * class CrdDriftTest extends AbstractCrdDriftTest {}
 * }</pre>
 *
 * <p>Name the subclass {@code CrdDriftTest}: the failure message tells how to refresh the shipped
 * files after changing the model, with {@code mvn -pl <module> -am test -Dtest=CrdDriftTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddovetail.updateCrds=true}, which rewrites them from the
 * generated ones.
 *
 * <p>By default every generated CRD is compared with {@code
 * charts/dovetail/crds/<group>_<plural>.yaml} (found by walking up from the module directory to the
 * one holding {@code charts/}); a module that ships its CRDs elsewhere overrides {@link
 * #generatedToShipped()}.
 */
public abstract class AbstractCrdDriftTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Where fabric8's CRD generator writes, relative to the module directory surefire runs in. */
  protected static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8");

  @Test
  void shippedCrdsMatchTheJavaModel() throws IOException {
    Map<Path, Path> files = generatedToShipped();
    assertThat(files).as("CRDs generated into %s", GENERATED.toAbsolutePath()).isNotEmpty();
    boolean update = Boolean.getBoolean("dovetail.updateCrds");
    List<String> drift = new ArrayList<>();
    for (Map.Entry<Path, Path> e : files.entrySet()) {
      Path file = e.getKey();
      Path shipped = e.getValue();
      if (update) {
        Files.createDirectories(shipped.toAbsolutePath().getParent());
        Files.copy(file, shipped, StandardCopyOption.REPLACE_EXISTING);
        continue;
      }
      if (!Files.exists(shipped)) {
        drift.add(shipped + " is missing");
        continue;
      }
      String difference =
          firstDifference("", YAML.readTree(file.toFile()), YAML.readTree(shipped.toFile()));
      if (difference != null) {
        drift.add(shipped + " differs from the model at " + difference);
      }
    }
    if (!drift.isEmpty()) {
      fail(
          String.join("\n", drift)
              + "\nThe shipped CRDs are stale. Refresh them with: mvn -pl <module> -am test"
              + " -Dtest=CrdDriftTest -Dsurefire.failIfNoSpecifiedTests=false"
              + " -Ddovetail.updateCrds=true");
    }
  }

  /**
   * Each CRD file this module generates, in name order, mapped to the chart file that must equal
   * it: {@code charts/dovetail/crds/<group>_<plural>.yaml}, group and plural read from the CRD.
   * Empty when nothing was generated (the test then fails: a module without CRDs has no reason to
   * run it).
   */
  protected Map<Path, Path> generatedToShipped() throws IOException {
    Map<Path, Path> files = new LinkedHashMap<>();
    if (!Files.isDirectory(GENERATED)) {
      return files;
    }
    List<Path> generated;
    try (Stream<Path> list = Files.list(GENERATED)) {
      generated = list.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    Path crdDir = chartCrdDir();
    for (Path file : generated) {
      JsonNode crd = YAML.readTree(file.toFile());
      String group = crd.path("spec").path("group").asText();
      String plural = crd.path("spec").path("names").path("plural").asText();
      files.put(file, crdDir.resolve(group + "_" + plural + ".yaml"));
    }
    return files;
  }

  /** {@code charts/dovetail/crds} of the repository the module under test lives in. */
  protected static Path chartCrdDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("charts"))) {
        return dir.resolve("charts").resolve("dovetail").resolve("crds");
      }
    }
    throw new IllegalStateException("no charts/ directory above " + Path.of("").toAbsolutePath());
  }

  /** The JSON path of the first difference between two trees, or null when equal. */
  static String firstDifference(String path, JsonNode expected, JsonNode actual) {
    if (expected.equals(actual)) {
      return null;
    }
    if (expected.isObject() && actual.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode other = actual.get(e.getKey());
        if (other == null) {
          return path + "/" + e.getKey() + " (missing in the shipped file)";
        }
        String d = firstDifference(path + "/" + e.getKey(), e.getValue(), other);
        if (d != null) {
          return d;
        }
      }
      for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!expected.has(name)) {
          return path + "/" + name + " (not in the model)";
        }
      }
    }
    if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
      for (int i = 0; i < expected.size(); i++) {
        String d = firstDifference(path + "/" + i, expected.get(i), actual.get(i));
        if (d != null) {
          return d;
        }
      }
    }
    return (path.isEmpty() ? "/" : path) + " (model: " + expected + ", shipped: " + actual + ")";
  }
}
