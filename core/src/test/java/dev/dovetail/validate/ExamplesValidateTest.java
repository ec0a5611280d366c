package dev.dovetail.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example manifest in {@code examples/} is valid. */
class ExamplesValidateTest {

  @Test
  void everyExampleIsValid() throws IOException {
    ManifestValidator validator = RepoPaths.validatorWithShippedNodeClasses();
    List<Path> examples;
    try (Stream<Path> files = Files.walk(RepoPaths.root().resolve("examples"))) {
      examples = files.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(10);
    List<String> problems = new ArrayList<>();
    for (Path example : examples) {
      for (Problem p : validator.validate(example)) {
        // EC2NodeClass examples come with the aws plugin; until its CRD ships, that kind is unknown
        if (!p.message().startsWith("unknown kind \"EC2NodeClass\"")) {
          problems.add(p.toString());
        }
      }
    }
    assertThat(problems).as("problems in examples/").isEmpty();
  }

  @Test
  void theExamplesCoverTheWholeNodePoolAndNodeClaimSchema() throws IOException {
    String all;
    try (Stream<Path> files = Files.walk(RepoPaths.root().resolve("examples"))) {
      StringBuilder text = new StringBuilder();
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        text.append(Files.readString(p));
      }
      all = text.toString();
    }
    for (String field :
        List.of(
            "replicas:",
            "weight:",
            "limits:",
            "consolidationPolicy: Balanced",
            "consolidationPolicy: WhenEmpty",
            "consolidateAfter:",
            "budgets:",
            "reasons:",
            "schedule:",
            "duration:",
            "startupTaints:",
            "taints:",
            "terminationGracePeriod:",
            "expireAfter: Never",
            "minValues:",
            "operator: Gte",
            "operator: Lte",
            "operator: Gt",
            "operator: Lt",
            "operator: NotIn",
            "operator: Exists",
            "operator: DoesNotExist",
            "resources:",
            "providerID:",
            "imageID:",
            "lastPodEventTime:",
            "allocatable:")) {
      assertThat(all).as("an example uses %s", field).contains(field);
    }
  }
}
