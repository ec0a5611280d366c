package dev.dovetail.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CRDs in crds/ (generated from the Java model elsewhere) agree with what the chart grants: the
 * RBAC names the same group and plural as the CRD. Skipped while crds/ is still empty.
 */
class CrdsTest {

  static List<CustomResourceDefinition> crds() throws IOException {
    Path dir = RenderedChart.chartDir().resolve("crds");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .flatMap(f -> RenderedChart.parse(read(f)).objects().stream())
          .map(o -> asCrd(o))
          .toList();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static CustomResourceDefinition asCrd(HasMetadata object) {
    assertThat(object)
        .as("every document in crds/ is a CustomResourceDefinition (%s)", object.getKind())
        .isInstanceOf(CustomResourceDefinition.class);
    return (CustomResourceDefinition) object;
  }

  private static Optional<CustomResourceDefinition> crd(String group, String plural)
      throws IOException {
    return crds().stream()
        .filter(c -> c.getSpec().getGroup().equals(group))
        .filter(c -> c.getSpec().getNames().getPlural().equals(plural))
        .findFirst();
  }

  @Test
  void karpenterCrdsAreClusterScopedWithAStatusSubresourceTheCoreMayWrite() throws IOException {
    assumeFalse(crds().isEmpty(), "crds/ is empty on this branch");
    Map<String, Set<String>> core =
        Rules.flatten(
            RenderedChart.render(Provider.SIMULATED.validSets()).all(ClusterRole.class).stream()
                .flatMap(r -> r.getRules().stream())
                .toList());

    for (String plural : List.of("nodepools", "nodeclaims")) {
      CustomResourceDefinition crd = crd("karpenter.sh", plural).orElseThrow();
      assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
      assertThat(crd.getSpec().getVersions())
          .anySatisfy(
              v -> {
                assertThat(v.getName()).isEqualTo("v1");
                assertThat(v.getSubresources().getStatus()).isNotNull();
              });
      assertThat(core).containsKeys("karpenter.sh/" + plural, "karpenter.sh/" + plural + "/status");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Provider.class, names = "SIMULATED", mode = EnumSource.Mode.EXCLUDE)
  void theNodeClassRbacNamesTheNodeClassCrd(Provider provider) throws IOException {
    Optional<CustomResourceDefinition> crd =
        crd(provider.nodeClassGroup, provider.nodeClassResource);
    assumeFalse(
        crds().stream().noneMatch(c -> c.getSpec().getGroup().equals(provider.nodeClassGroup)),
        "no CRD of " + provider.nodeClassGroup + " in crds/ on this branch");

    assertThat(crd)
        .as("a CRD %s.%s", provider.nodeClassResource, provider.nodeClassGroup)
        .isPresent();
    assertThat(crd.get().getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.get().getMetadata().getName())
        .isEqualTo(provider.nodeClassResource + "." + provider.nodeClassGroup);
  }
}
