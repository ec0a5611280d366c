package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs shipped in {@code charts/dovetail/crds/} must be exactly what fabric8's CRD generator
 * makes from the Java model (it writes {@code target/classes/META-INF/fabric8/<plural>.<group>-
 * <version>.yml} at process-classes). To refresh the shipped files after changing the model, run
 * {@code mvn -pl core -am test -Dtest=CrdDriftTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddovetail.updateCrds=true}.
 *
 * <p>This class has no project-specific configuration: a plugin module copies it as is and it
 * checks every CRD that module generates against {@code
 * charts/dovetail/crds/<group>_<plural>.yaml}.
 */
class CrdDriftTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8");

  @Test
  void shippedCrdsMatchTheJavaModel() throws IOException {
    List<Path> generated = generatedCrds();
    assertThat(generated).as("CRDs generated into %s", GENERATED.toAbsolutePath()).isNotEmpty();
    Path crdDir = chartCrdDir();
    boolean update = Boolean.getBoolean("dovetail.updateCrds");
    List<String> drift = new ArrayList<>();
    for (Path file : generated) {
      JsonNode crd = YAML.readTree(file.toFile());
      String group = crd.path("spec").path("group").asText();
      String plural = crd.path("spec").path("names").path("plural").asText();
      Path shipped = crdDir.resolve(group + "_" + plural + ".yaml");
      if (update) {
        Files.createDirectories(crdDir);
        Files.copy(file, shipped, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        continue;
      }
      if (!Files.exists(shipped)) {
        drift.add(shipped + " is missing");
        continue;
      }
      String difference = firstDifference("", crd, YAML.readTree(shipped.toFile()));
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

  private static List<Path> generatedCrds() throws IOException {
    if (!Files.isDirectory(GENERATED)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(GENERATED)) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  /** {@code charts/dovetail/crds} of the repository this module lives in. */
  private static Path chartCrdDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("charts"))) {
        return dir.resolve("charts").resolve("dovetail").resolve("crds");
      }
    }
    throw new IllegalStateException("no charts/ directory above " + Path.of("").toAbsolutePath());
  }

  /** The JSON path of the first difference between two trees, or null when equal. */
  private static String firstDifference(String path, JsonNode expected, JsonNode actual) {
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
