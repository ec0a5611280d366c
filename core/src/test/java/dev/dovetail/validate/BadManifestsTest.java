package dev.dovetail.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each file in {@code validate/bad/} is invalid, and the validator says why: every {@code # expect:
 * FRAGMENT} line of the file must appear in one of the reported problem lines.
 */
class BadManifestsTest {
  private static final Path BAD = Path.of("src/test/resources/validate/bad");

  /** Files that cannot carry their own expectation (an empty file has no room for a comment). */
  private static final Map<String, String> EXPECTED_ELSEWHERE =
      Map.of("empty.yaml", "empty.yaml: no objects found: the file is empty");

  @TestFactory
  Stream<DynamicTest> everyBadManifestIsRejectedWithItsReason() throws IOException {
    ManifestValidator validator = RepoPaths.validatorWithShippedNodeClasses();
    List<Path> files;
    try (Stream<Path> list = Files.list(BAD)) {
      files = list.sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(25);
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      List<String> expected = expectations(file);
                      assertThat(expected).as("expectations of %s", file).isNotEmpty();
                      List<String> lines =
                          validator.validate(file).stream().map(Problem::toString).toList();
                      assertThat(lines).as("problems of %s", file).isNotEmpty();
                      for (String fragment : expected) {
                        assertThat(lines)
                            .as("problems of %s", file)
                            .anySatisfy(line -> assertThat(line).contains(fragment));
                      }
                      for (String line : lines) {
                        assertThat(line).startsWith(file.toString() + ": ");
                      }
                    }));
  }

  private static List<String> expectations(Path file) throws IOException {
    List<String> expected = new ArrayList<>();
    String name = file.getFileName().toString();
    if (EXPECTED_ELSEWHERE.containsKey(name)) {
      expected.add(EXPECTED_ELSEWHERE.get(name));
    }
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("# expect: ")) {
        expected.add(line.substring("# expect: ".length()));
      }
    }
    return expected;
  }
}
