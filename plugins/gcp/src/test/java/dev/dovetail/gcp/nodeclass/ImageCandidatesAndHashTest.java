package dev.dovetail.gcp.nodeclass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.gcp.v1alpha1.Disk;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import dev.dovetail.gcp.v1alpha1.GCENodeClassSpec;
import dev.dovetail.gcp.v1alpha1.ImageSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageCandidatesAndHashTest {
  @Test
  void cosFamilyFollowsTheChannelAndPinsVersions() {
    var stable =
        ImageResolver.candidates(
            ImageSelectorTerm.family(
                ImageSelectorTerm.Family.ContainerOptimizedOS,
                ImageSelectorTerm.Channel.STABLE,
                null));
    assertThat(stable)
        .extracting(ImageResolver.Candidate::family)
        .containsExactly("cos-stable", "cos-arm64-stable");
    var rapid =
        ImageResolver.candidates(
            ImageSelectorTerm.family(
                ImageSelectorTerm.Family.ContainerOptimizedOS,
                ImageSelectorTerm.Channel.RAPID,
                null));
    assertThat(rapid).extracting(ImageResolver.Candidate::family).contains("cos-beta");
    var pinned =
        ImageResolver.candidates(ImageSelectorTerm.alias("ContainerOptimizedOS@125.19216.104.126"));
    assertThat(pinned)
        .extracting(ImageResolver.Candidate::image)
        .containsExactly("cos-125-19216-104-126", "cos-arm64-125-19216-104-126");
  }

  @Test
  void ubuntuAndIdTerms() {
    var ubuntu =
        ImageResolver.candidates(
            ImageSelectorTerm.family(ImageSelectorTerm.Family.Ubuntu2404, null, "latest"));
    assertThat(ubuntu)
        .extracting(ImageResolver.Candidate::family)
        .containsExactly("ubuntu-2404-lts-amd64", "ubuntu-2404-lts-arm64");
    var id =
        ImageResolver.candidates(
            ImageSelectorTerm.id(
                "https://www.googleapis.com/compute/v1/projects/my-proj/global/images/custom-1"));
    assertThat(id)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.project()).isEqualTo("my-proj");
              assertThat(c.image()).isEqualTo("custom-1");
              assertThat(c.arch()).isNull();
            });
    assertThatThrownBy(() -> ImageResolver.parseImagePath("not-a-path"))
        .hasMessageContaining("projects/<project>/global/images/<name>");
  }

  private static GCENodeClass nodeClass(String alias, int bootGiB) {
    GCENodeClass nc = new GCENodeClass();
    nc.setMetadata(new ObjectMetaBuilder().withName("default").build());
    GCENodeClassSpec spec = new GCENodeClassSpec();
    spec.imageSelectorTerms = List.of(ImageSelectorTerm.alias(alias));
    spec.disks = List.of(Disk.boot(bootGiB, Disk.Category.PD_BALANCED));
    nc.setSpec(spec);
    return nc;
  }

  @Test
  void hashIgnoresImageTermsButNotOtherFields() {
    String h = NodeClassHash.of(nodeClass("ContainerOptimizedOS@latest", 100));
    assertThat(NodeClassHash.of(nodeClass("Ubuntu@latest", 100))).isEqualTo(h);
    assertThat(NodeClassHash.of(nodeClass("ContainerOptimizedOS@latest", 200))).isNotEqualTo(h);
    assertThat(h).matches("[0-9a-f]{16}");
  }
}
