package dev.dovetail.gcp;

import static dev.dovetail.gcp.Claims.capacity;
import static dev.dovetail.gcp.Claims.claim;
import static dev.dovetail.gcp.Claims.types;
import static dev.dovetail.gcp.Claims.zones;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.compute.v1.AttachedDisk;
import com.google.cloud.compute.v1.Items;
import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassNotReadyException;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.gcp.v1alpha1.Disk;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import dev.dovetail.gcp.v1alpha1.GCENodeClassSpec;
import dev.dovetail.gcp.v1alpha1.NetworkConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** instances.insert and its failures, over HTTP with the real compute clients. */
class LaunchWireMockTest {
  private static final String A = "us-central1-a";
  private static final String B = "us-central1-b";
  private final FakeGce gce = GceWireMock.GCE;
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

  private static Map<String, String> metadata(com.google.cloud.compute.v1.Instance i) {
    return i.getMetadata().getItemsList().stream()
        .collect(Collectors.toMap(Items::getKey, Items::getValue));
  }

  @Test
  void spotInsertCarriesSchedulingImageNetworkLabelsAndServiceAccount() {
    Instance launched =
        provider.create(claim("c1", nodeClass, types("n2-standard-4"), zones(A), capacity("spot")));
    assertThat(launched.providerId()).isEqualTo("gce://" + FakeGce.PROJECT + "/" + A + "/c1");
    assertThat(launched.capacityType()).isEqualTo("spot");
    assertThat(launched.imageId())
        .isEqualTo("projects/cos-cloud/global/images/" + FakeGce.COS_AMD64);
    var sent = gce.inserted().get(0);
    assertThat(sent.getName()).isEqualTo("c1");
    assertThat(sent.getMachineType()).isEqualTo("zones/" + A + "/machineTypes/n2-standard-4");
    assertThat(sent.getScheduling().getProvisioningModel()).isEqualTo("SPOT");
    assertThat(sent.getScheduling().getInstanceTerminationAction()).isEqualTo("DELETE");
    assertThat(sent.getScheduling().getOnHostMaintenance()).isEqualTo("TERMINATE");
    assertThat(sent.getScheduling().getAutomaticRestart()).isFalse();
    AttachedDisk boot = sent.getDisks(0);
    assertThat(boot.getBoot()).isTrue();
    assertThat(boot.getInitializeParams().getSourceImage())
        .isEqualTo("projects/cos-cloud/global/images/" + FakeGce.COS_AMD64);
    assertThat(boot.getInitializeParams().getDiskSizeGb()).isEqualTo(100);
    assertThat(sent.getNetworkInterfaces(0).getSubnetwork())
        .isEqualTo("projects/test-project/regions/us-central1/subnetworks/nodes");
    assertThat(sent.getNetworkInterfaces(0).getNetwork())
        .isEqualTo("projects/test-project/global/networks/vpc");
    assertThat(sent.getServiceAccounts(0).getEmail())
        .isEqualTo("nodes@test-project.iam.gserviceaccount.com");
    assertThat(sent.getLabelsMap())
        .containsEntry("karpenter-sh-nodeclaim", "c1")
        .containsEntry("karpenter-sh-nodepool", "default")
        .containsEntry("karpenter-k8s-gcp-cluster", "test-cluster")
        .containsEntry("goog-k8s-cluster-name", "test-cluster")
        .containsKey("karpenter-k8s-gcp-gcenodeclass-hash");
    assertThat(metadata(sent))
        .containsEntry("cluster-name", "test-cluster")
        .containsEntry("karpenter-nodeclaim", "c1")
        .containsKey("kube-labels");
    assertThat(metadata(sent).get("kube-labels")).contains("karpenter.sh/nodepool=default");
  }

  @Test
  void onDemandMigratesButGpusAndConfidentialVmsTerminate() {
    provider.create(claim("od", nodeClass, types("n2-standard-4"), capacity("on-demand")));
    var od = gce.inserted().get(0).getScheduling();
    assertThat(od.getProvisioningModel()).isEqualTo("STANDARD");
    assertThat(od.getOnHostMaintenance()).isEqualTo("MIGRATE");
    assertThat(od.getAutomaticRestart()).isTrue();

    nodeClass.getSpec().autoGPUTaint = true;
    provider.create(claim("gpu", nodeClass, types("g2-standard-4"), capacity("on-demand")));
    var gpu = gce.inserted().get(1);
    assertThat(gpu.getScheduling().getOnHostMaintenance()).isEqualTo("TERMINATE");
    assertThat(metadata(gpu).get("kube-labels"))
        .contains("cloud.google.com/gke-accelerator=nvidia-l4")
        .contains("cloud.google.com/gke-gpu-driver-version=default");
    assertThat(metadata(gpu).get("kube-taints")).isEqualTo("nvidia.com/gpu=present:NoSchedule");

    nodeClass.getSpec().confidentialInstanceType =
        GCENodeClassSpec.ConfidentialInstanceType.SEV_SNP;
    provider.create(claim("cvm", nodeClass, types("n2-standard-4"), capacity("on-demand")));
    var cvm = gce.inserted().get(2);
    assertThat(cvm.getConfidentialInstanceConfig().getConfidentialInstanceType())
        .isEqualTo("SEV_SNP");
    assertThat(cvm.getScheduling().getOnHostMaintenance()).isEqualTo("TERMINATE");
  }

  @Test
  void nodeClassDisksNicsTagsAndMetadataReachTheInsert() {
    GCENodeClassSpec spec = nodeClass.getSpec();
    Disk boot = Disk.boot(200, Disk.Category.PD_SSD);
    Disk cache = new Disk();
    cache.sizeGiB = 50;
    cache.secondaryBootImage = "global/images/image-cache";
    cache.secondaryBootMode = Disk.SecondaryBootMode.CONTAINER_IMAGE_CACHE;
    spec.disks = List.of(boot, cache);
    spec.networkTags = List.of("gke-nodes");
    spec.metadata = Map.of("block-project-ssh-keys", "true");
    spec.labels = Map.of("team", "Platform");
    NetworkConfig net = new NetworkConfig();
    net.enablePrivateNodes = true;
    net.subnetwork = "projects/test-project/regions/us-central1/subnetworks/custom";
    NetworkConfig.AdditionalNetworkInterface extra = new NetworkConfig.AdditionalNetworkInterface();
    extra.subnetwork = "projects/test-project/regions/us-central1/subnetworks/storage";
    net.additionalNetworkInterfaces = List.of(extra);
    spec.networkConfig = net;
    spec.serviceAccount = "custom@test-project.iam.gserviceaccount.com";
    spec.subnetRangeName = "pods";

    Instance launched = provider.create(claim("c2", nodeClass, types("n2-standard-4")));
    var sent = gce.inserted().get(0);
    assertThat(sent.getDisksList()).hasSize(2);
    assertThat(sent.getDisks(0).getInitializeParams().getDiskSizeGb()).isEqualTo(200);
    assertThat(sent.getDisks(0).getInitializeParams().getDiskType()).endsWith("/diskTypes/pd-ssd");
    assertThat(sent.getDisks(1).getInitializeParams().getSourceImage())
        .isEqualTo("global/images/image-cache");
    assertThat(sent.getDisks(1).getMode()).isEqualTo("READ_ONLY");
    assertThat(sent.getNetworkInterfacesList()).hasSize(2);
    assertThat(sent.getNetworkInterfaces(0).getSubnetwork()).endsWith("/subnetworks/custom");
    assertThat(sent.getNetworkInterfaces(0).getAccessConfigsList()).isEmpty();
    assertThat(sent.getNetworkInterfaces(0).getAliasIpRanges(0).getSubnetworkRangeName())
        .isEqualTo("pods");
    assertThat(sent.getNetworkInterfaces(0).getAliasIpRanges(0).getIpCidrRange()).isEqualTo("/24");
    assertThat(sent.getNetworkInterfaces(1).getSubnetwork()).endsWith("/subnetworks/storage");
    assertThat(sent.getTags().getItemsList()).containsExactly("gke-nodes");
    assertThat(metadata(sent)).containsEntry("block-project-ssh-keys", "true");
    assertThat(sent.getLabelsMap()).containsEntry("team", "platform");
    assertThat(sent.getServiceAccounts(0).getEmail())
        .isEqualTo("custom@test-project.iam.gserviceaccount.com");
    assertThat(launched.capacity().get("ephemeral-storage")).isEqualTo(200L << 30);
  }

  @Test
  void armTypesBootTheArmImage() {
    Instance launched = provider.create(claim("arm", nodeClass, types("t2a-standard-4")));
    assertThat(launched.labels()).containsEntry(WellKnownLabels.ARCH, "arm64");
    assertThat(gce.inserted().get(0).getDisks(0).getInitializeParams().getSourceImage())
        .endsWith(FakeGce.COS_ARM64);
  }

  @Test
  void stockoutMovesToTheNextZoneAndMarksTheOfferingUnavailable() {
    gce.stockout(new OfferingKey("n2-standard-4", A, "on-demand"));
    Instance launched =
        provider.create(
            claim("c3", nodeClass, types("n2-standard-4"), zones(A, B), capacity("on-demand")));
    assertThat(launched.zone()).isEqualTo(B);
    assertThat(gce.inserted()).hasSize(2);
    assertThat(
            provider.instanceTypes(null, nodeClass).stream()
                .filter(t -> t.name().equals("n2-standard-4"))
                .flatMap(t -> t.offerings().stream())
                .filter(o -> o.zone().equals(A) && o.capacityType().equals("on-demand"))
                .findFirst()
                .orElseThrow()
                .available())
        .isFalse();
    assertThat(gce.instances()).containsOnlyKeys(B + "/c3");
  }

  @Test
  void quotaMovesToTheNextType() {
    for (String zone : FakeGce.ZONES) {
      gce.quotaExceeded(new OfferingKey("e2-standard-4", zone, "on-demand"));
    }
    Instance launched =
        provider.create(
            claim("c4", nodeClass, types("e2-standard-4", "n2-standard-4"), capacity("on-demand")));
    assertThat(launched.instanceType()).isEqualTo("n2-standard-4");
  }

  @Test
  void everyOfferingExhaustedIsInsufficientCapacityNamingThem() {
    for (String zone : FakeGce.ZONES) {
      gce.stockout(new OfferingKey("n2-standard-4", zone, "spot"));
    }
    assertThatThrownBy(
            () -> provider.create(claim("c5", nodeClass, types("n2-standard-4"), capacity("spot"))))
        .isInstanceOfSatisfying(
            InsufficientCapacityException.class,
            e ->
                assertThat(e.offerings())
                    .containsExactlyInAnyOrder(
                        new OfferingKey("n2-standard-4", "us-central1-a", "spot"),
                        new OfferingKey("n2-standard-4", "us-central1-b", "spot"),
                        new OfferingKey("n2-standard-4", "us-central1-c", "spot")));
    assertThat(gce.instances()).isEmpty();
  }

  @Test
  void throttledInsertsAreRetried() {
    gce.throttleInserts(2);
    Instance launched = provider.create(claim("c6", nodeClass, types("n2-standard-4"), zones(A)));
    assertThat(launched.zone()).isEqualTo(A);
    assertThat(gce.instances()).containsKey(A + "/c6");
  }

  @Test
  void throttlingPastTheRetriesSurfacesAsAFailureNotAnEmptyAnswer() {
    gce.throttleReads(50);
    assertThatThrownBy(() -> provider.list())
        .isInstanceOf(com.google.api.gax.rpc.ApiException.class);
  }

  @Test
  void operationErrorAfterInsertFailsTheLaunchAndLeavesNoInstance() {
    gce.operationError(new OfferingKey("n2-standard-4", A, "on-demand"));
    assertThatThrownBy(
            () ->
                provider.create(
                    claim(
                        "c7", nodeClass, types("n2-standard-4"), zones(A), capacity("on-demand"))))
        .isInstanceOfSatisfying(
            CreateException.class, e -> assertThat(e.reason()).isEqualTo("LaunchFailed"));
    assertThat(gce.instances()).isEmpty();
    assertThat(gce.deletes()).isEqualTo(1);
  }

  @Test
  void failedOperationPollsDeleteTheAcceptedInstance() {
    gce.failPolls(100);
    assertThatThrownBy(
            () -> provider.create(claim("c8", nodeClass, types("n2-standard-4"), zones(A))))
        .isInstanceOf(CreateException.class)
        .hasMessageContaining("accepted but its operation failed");
    assertThat(gce.instances()).isEmpty();
  }

  @Test
  void aRetriedCreateFindsTheInstanceByItsNodeClaim() {
    Instance first = provider.create(claim("c9", nodeClass, types("n2-standard-4"), zones(A)));
    Instance second = provider.create(claim("c9", nodeClass, types("n2-standard-4"), zones(B)));
    assertThat(second.providerId()).isEqualTo(first.providerId());
    assertThat(gce.inserted()).hasSize(1);
  }

  @Test
  void anInsertConflictReturnsTheExistingInstance() {
    provider.create(claim("c10", nodeClass, types("n2-standard-4"), zones(A)));
    // Its ownership labels are gone (edited by hand): the instance name still keeps it one.
    var existing = gce.instances().get(A + "/c10");
    gce.put(A, existing.toBuilder().clearLabels().build());
    Instance again = provider.create(claim("c10", nodeClass, types("n2-standard-4"), zones(A)));
    assertThat(again.providerId()).endsWith("/" + A + "/c10");
    assertThat(again.nodeClaim()).isEqualTo("c10");
    assertThat(gce.inserted()).hasSize(2);
    assertThat(gce.instances()).hasSize(1);
  }

  @Test
  void deleteOfAVanishedInstanceIsNotFound() {
    Instance launched = provider.create(claim("c11", nodeClass, types("n2-standard-4"), zones(A)));
    gce.preempt(A, "c11"); // gone behind our back
    assertThatThrownBy(() -> provider.delete(launched.providerId()))
        .isInstanceOf(NodeClaimNotFoundException.class);
    assertThatThrownBy(() -> provider.get(launched.providerId()))
        .isInstanceOf(NodeClaimNotFoundException.class);
  }

  @Test
  void noImageForTheNodeClassIsNotReady() {
    gce.removeFamily("cos-cloud", "cos-stable");
    gce.removeFamily("cos-cloud", "cos-arm64-stable");
    assertThatThrownBy(() -> provider.create(claim("c12", nodeClass, types("n2-standard-4"))))
        .isInstanceOf(NodeClassNotReadyException.class);
    assertThat(gce.inserted()).isEmpty();
  }

  @Test
  void listReturnsOnlyThisClustersInstancesWithTheirTags() {
    NodeClaimView claim =
        new NodeClaimView(
            "c13",
            "pool-b",
            Map.of(),
            Map.of(),
            List.of(new Taint("k", "v", "NoSchedule")),
            List.of(),
            dev.dovetail.cloudprovider.Requirements.of(types("e2-standard-2")),
            null,
            null,
            nodeClass,
            null,
            null);
    provider.create(claim);
    var foreign =
        gce.instances().get(gce.instances().keySet().iterator().next()).toBuilder()
            .setName("someone-else")
            .clearLabels()
            .putLabels("karpenter-k8s-gcp-cluster", "other-cluster")
            .build();
    gce.put(A, foreign);
    List<Instance> listed = provider.list();
    assertThat(listed)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.nodeClaim()).isEqualTo("c13");
              assertThat(i.nodePool()).isEqualTo("pool-b");
              assertThat(i.state()).isEqualTo("running");
            });
    assertThat(metadata(gce.inserted().get(0))).containsEntry("kube-taints", "k=v:NoSchedule");
  }
}
