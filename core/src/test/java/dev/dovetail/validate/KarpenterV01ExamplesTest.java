package dev.dovetail.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Karpenter v0.1's published example manifests (docs/examples of awslabs/karpenter before March
 * 2021, copied byte for byte into {@code examples/autoscaling/}) validate unchanged.
 */
class KarpenterV01ExamplesTest {

  @Test
  void thePublishedV01ExamplesValidateUnchanged() throws IOException {
    ManifestValidator validator = RepoPaths.validatorWithShippedNodeClasses();
    List<Path> examples;
    try (Stream<Path> files = Files.list(RepoPaths.root().resolve("examples/autoscaling"))) {
      examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(examples)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "queue-length-average-value.yaml",
            "reserved-capacity-utilization.yaml",
            "scheduled-capacity.yaml");
    for (Path example : examples) {
      assertThat(validator.validate(example)).as("problems in %s", example).isEmpty();
      assertThat(Files.readString(example)).contains("autoscaling.karpenter.sh/v1alpha1");
    }
  }
}
