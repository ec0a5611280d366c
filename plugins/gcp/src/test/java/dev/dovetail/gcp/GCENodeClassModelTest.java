package dev.dovetail.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.gcp.v1alpha1.Disk;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import dev.dovetail.gcp.v1alpha1.GCENodeClassSpec;
import dev.dovetail.gcp.v1alpha1.ImageSelectorTerm;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The repository's GCENodeClass example reads into the model with every upstream field. */
class GCENodeClassModelTest {
  @Test
  void exampleReadsWithEveryField() throws IOException {
    Path example = Path.of("../../examples/gcp/gcenodeclass.yaml");
    String first = Files.readString(example).split("\n---\n")[0];
    GCENodeClass nc = Serialization.unmarshal(first, GCENodeClass.class);
    GCENodeClassSpec spec = nc.getSpec();
    assertThat(spec.imageSelectorTerms.get(0).family)
        .isEqualTo(ImageSelectorTerm.Family.ContainerOptimizedOS);
    assertThat(spec.imageSelectorTerms.get(0).channel).isEqualTo(ImageSelectorTerm.Channel.STABLE);
    assertThat(spec.confidentialInstanceType)
        .isEqualTo(GCENodeClassSpec.ConfidentialInstanceType.SEV);
    assertThat(spec.gpuDriverVersion).isEqualTo(GCENodeClassSpec.GpuDriverVersion.LATEST);
    assertThat(spec.disks).hasSize(3);
    assertThat(spec.disks.get(1).category).isEqualTo(Disk.Category.HYPERDISK_BALANCED);
    assertThat(spec.disks.get(2).secondaryBootMode)
        .isEqualTo(Disk.SecondaryBootMode.CONTAINER_IMAGE_CACHE);
    assertThat(spec.networkConfig.additionalNetworkInterfaces).hasSize(1);
    assertThat(spec.kubeletConfiguration.maxPods).isEqualTo(110);
    assertThat(spec.autoGPUTaint).isTrue();
  }

  @Test
  void writesUpstreamJsonNamesAndLeavesUnsetFieldsOut() {
    GCENodeClass nc = GceWireMock.nodeClass();
    nc.getSpec().gpuDriverVersion = GCENodeClassSpec.GpuDriverVersion.DISABLED;
    nc.getSpec().disks = java.util.List.of(Disk.boot(50, Disk.Category.PD_SSD));
    String json = Serialization.asJson(nc);
    assertThat(json)
        .contains("\"gpuDriverVersion\":\"disabled\"")
        .contains("\"category\":\"pd-ssd\"")
        .contains("\"sizeGiB\":50")
        .contains("\"alias\":\"ContainerOptimizedOS@latest\"")
        .doesNotContain("serviceAccount")
        .doesNotContain("null");
  }
}
