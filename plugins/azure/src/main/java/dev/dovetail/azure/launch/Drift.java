package dev.dovetail.azure.launch;

import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import dev.dovetail.azure.nodeclass.ImageProvider;
import dev.dovetail.azure.nodeclass.NodeClassHash;
import dev.dovetail.azure.nodeclass.NodeClassSpecs;
import dev.dovetail.azure.options.AzureSettings;
import dev.dovetail.azure.v1beta1.AKSNodeClassSpec;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a launched VM still matches its AKSNodeClass (upstream's drift reasons): the NodeClass
 * spec hash tagged at launch, the node image (a newer one published for its family and
 * architecture), and the subnet of its NIC.
 */
public final class Drift {
  private final AzureSettings settings;
  private final VmProvider vms;
  private final ImageProvider images;

  public Drift(AzureSettings settings, VmProvider vms, ImageProvider images) {
    this.settings = settings;
    this.vms = vms;
    this.images = images;
  }

  public Optional<String> check(NodeClaimView claim) {
    if (claim.providerId() == null) {
      return Optional.empty();
    }
    ProviderIds.VmRef ref = ProviderIds.parse(claim.providerId());
    Optional<VirtualMachineInner> found = vms.find(ref.resourceGroup(), ref.name());
    if (found.isEmpty()) {
      return Optional.empty(); // gone: garbage collection's business, not drift
    }
    VirtualMachineInner vm = found.get();
    AKSNodeClassSpec spec = NodeClassSpecs.of(claim.nodeClass());
    Map<String, String> tags = vm.tags() == null ? Map.of() : vm.tags();
    String hash = tags.get(Tags.NODECLASS_HASH);
    if (hash != null && !hash.equals(NodeClassHash.of(spec))) {
      return Optional.of("NodeClassDrift");
    }
    String arch = vms.toInstance(vm).labels().getOrDefault(WellKnownLabels.ARCH, "amd64");
    String image =
        vm.storageProfile() == null || vm.storageProfile().imageReference() == null
            ? null
            : vm.storageProfile().imageReference().communityGalleryImageId();
    if (image != null
        && !image.equals(images.latest(spec == null ? null : spec.imageFamily, arch))) {
      return Optional.of("ImageDrift");
    }
    String wanted =
        spec != null && spec.vnetSubnetID != null ? spec.vnetSubnetID : settings.vnetSubnetId();
    String actual = vms.subnetOf(ref.resourceGroup(), ref.name());
    if (actual != null && !actual.equalsIgnoreCase(wanted)) {
      return Optional.of("SubnetDrift");
    }
    return Optional.empty();
  }
}
