package dev.dovetail.gcp;

import static dev.dovetail.gcp.Claims.claim;
import static dev.dovetail.gcp.Claims.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.testkit.NodeClaims;
import dev.dovetail.gcp.v1alpha1.Disk;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import dev.dovetail.gcp.v1alpha1.ImageSelectorTerm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GCENodeClass status the plugin reports through the SPI hook, and drift. */
class NodeClassStatusWireMockTest {
  private GcpCloudProvider provider;
  private GCENodeClass nodeClass;

  @BeforeEach
  void start() {
    GceWireMock.reset();
    provider = GceWireMock.start(InterruptionListener.IGNORE);
    nodeClass = GceWireMock.nodeClass();
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  @Test
  @SuppressWarnings("unchecked")
  void resolvedImagesPerArchitectureAndImagesReady() {
    NodeClassStatus status = provider.nodeClassStatus(nodeClass).orElseThrow();
    assertThat(status.isReady()).isTrue();
    assertThat(status.conditions())
        .singleElement()
        .satisfies(c -> assertThat(c.type()).isEqualTo("ImagesReady"));
    List<Map<String, Object>> images = (List<Map<String, Object>>) status.fields().get("images");
    assertThat(images).hasSize(2);
    assertThat(images.get(0))
        .containsEntry("sourceImage", "projects/cos-cloud/global/images/" + FakeGce.COS_AMD64);
    assertThat((List<Map<String, Object>>) images.get(1).get("requirements"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r)
                    .containsEntry("key", "kubernetes.io/arch")
                    .containsEntry("operator", "In")
                    .containsEntry("values", List.of("arm64")));
  }

  @Test
  void termsAreTriedInOrderAndAnIdIsReadForItsArchitecture() {
    GceWireMock.GCE.family("my-proj", "unused", "custom-arm", "ARM64");
    nodeClass.getSpec().imageSelectorTerms =
        List.of(
            ImageSelectorTerm.id("projects/my-proj/global/images/custom-arm"),
            ImageSelectorTerm.alias("ContainerOptimizedOS@latest"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> images =
        (List<Map<String, Object>>)
            provider.nodeClassStatus(nodeClass).orElseThrow().fields().get("images");
    assertThat(images)
        .extracting(m -> m.get("sourceImage"))
        .containsExactly(
            "projects/my-proj/global/images/custom-arm",
            "projects/cos-cloud/global/images/" + FakeGce.COS_AMD64);
  }

  @Test
  void noImageIsNotReadyWithAReason() {
    GceWireMock.GCE.removeFamily("cos-cloud", "cos-stable");
    GceWireMock.GCE.removeFamily("cos-cloud", "cos-arm64-stable");
    NodeClassStatus status = provider.nodeClassStatus(nodeClass).orElseThrow();
    assertThat(status.isReady()).isFalse();
    assertThat(status.notReadyMessage()).contains("ImagesReady").contains("imageSelectorTerms");
  }

  @Test
  void anApiFailureIsThrownNotReportedAsNoImages() {
    GceWireMock.GCE.throttleReads(100);
    assertThatThrownBy(() -> provider.nodeClassStatus(nodeClass))
        .isInstanceOf(com.google.api.gax.rpc.ApiException.class);
  }

  private NodeClaimView launched(Instance i, GCENodeClass nc) {
    NodeClaimView c = claim("d1", nc, types("n2-standard-4"));
    return NodeClaims.launched(c, i.providerId(), i.imageId());
  }

  @Test
  void driftOnANewImageAndOnANodeClassChange() {
    Instance i = provider.create(claim("d1", nodeClass, types("n2-standard-4")));
    assertThat(provider.isDrifted(launched(i, nodeClass))).isEmpty();

    GceWireMock.GCE.family("cos-cloud", "cos-stable", "cos-121-99999-0-0", "X86_64");
    assertThat(provider.isDrifted(launched(i, nodeClass))).contains("ImageDrift");

    GceWireMock.GCE.family("cos-cloud", "cos-stable", FakeGce.COS_AMD64, "X86_64");
    GCENodeClass changed = GceWireMock.nodeClass();
    changed.getSpec().disks = List.of(Disk.boot(300, Disk.Category.PD_SSD));
    assertThat(provider.isDrifted(launched(i, changed))).contains("NodeClassDrift");
  }
}
