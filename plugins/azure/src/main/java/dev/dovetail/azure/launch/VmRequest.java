package dev.dovetail.azure.launch;

import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.BillingProfile;
import com.azure.resourcemanager.compute.models.DeleteOptions;
import com.azure.resourcemanager.compute.models.DiskCreateOptionTypes;
import com.azure.resourcemanager.compute.models.DiskDeleteOptionTypes;
import com.azure.resourcemanager.compute.models.HardwareProfile;
import com.azure.resourcemanager.compute.models.ImageReference;
import com.azure.resourcemanager.compute.models.LinuxConfiguration;
import com.azure.resourcemanager.compute.models.ManagedDiskParameters;
import com.azure.resourcemanager.compute.models.NetworkInterfaceReference;
import com.azure.resourcemanager.compute.models.NetworkProfile;
import com.azure.resourcemanager.compute.models.OSDisk;
import com.azure.resourcemanager.compute.models.OSProfile;
import com.azure.resourcemanager.compute.models.ResourceIdentityType;
import com.azure.resourcemanager.compute.models.SecurityProfile;
import com.azure.resourcemanager.compute.models.SecurityTypes;
import com.azure.resourcemanager.compute.models.SshConfiguration;
import com.azure.resourcemanager.compute.models.SshPublicKey;
import com.azure.resourcemanager.compute.models.StorageAccountTypes;
import com.azure.resourcemanager.compute.models.StorageProfile;
import com.azure.resourcemanager.compute.models.UefiSettings;
import com.azure.resourcemanager.compute.models.VirtualMachineEvictionPolicyTypes;
import com.azure.resourcemanager.compute.models.VirtualMachineIdentity;
import com.azure.resourcemanager.compute.models.VirtualMachineIdentityUserAssignedIdentities;
import com.azure.resourcemanager.compute.models.VirtualMachinePriorityTypes;
import com.azure.resourcemanager.compute.models.VirtualMachineSizeTypes;
import dev.dovetail.azure.v1beta1.AKSNodeClassSpec;
import java.util.List;
import java.util.Map;

/**
 * The VM body of a launch: size, zone, community-gallery image, OS disk deleted with the VM, the
 * NIC (deleted with the VM too), custom data, kubelet identity, trusted launch, and for spot:
 * priority Spot, eviction policy Delete, max price -1 (pay up to on-demand, never evicted on
 * price).
 */
public final class VmRequest {
  static final String ADMIN = "azureuser";

  /** A placeholder key when none is configured: password login stays disabled either way. */
  static final String PLACEHOLDER_KEY =
      "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0dovetail0placeholder0key0not0for0login dovetail";

  private VmRequest() {}

  /** Everything one launch decides. */
  public record Spec(
      String location,
      String vmName,
      String size,
      String zone,
      boolean spot,
      String imageId,
      String nicId,
      int osDiskSizeGb,
      String customData,
      String sshPublicKey,
      String kubeletIdentityId,
      AKSNodeClassSpec.Security security,
      Map<String, String> tags) {}

  public static String osDiskName(String vmName) {
    return vmName + "-osdisk";
  }

  public static VirtualMachineInner build(Spec s) {
    VirtualMachineInner vm =
        new VirtualMachineInner()
            .withLocation(s.location())
            .withTags(s.tags())
            .withHardwareProfile(
                new HardwareProfile().withVmSize(VirtualMachineSizeTypes.fromString(s.size())))
            .withStorageProfile(
                new StorageProfile()
                    .withImageReference(
                        new ImageReference().withCommunityGalleryImageId(s.imageId()))
                    .withOsDisk(
                        new OSDisk()
                            .withName(osDiskName(s.vmName()))
                            .withCreateOption(DiskCreateOptionTypes.FROM_IMAGE)
                            .withDeleteOption(DiskDeleteOptionTypes.DELETE)
                            .withDiskSizeGB(s.osDiskSizeGb())
                            .withManagedDisk(
                                new ManagedDiskParameters()
                                    .withStorageAccountType(StorageAccountTypes.PREMIUM_LRS))))
            .withOsProfile(
                new OSProfile()
                    .withComputerName(s.vmName())
                    .withAdminUsername(ADMIN)
                    .withCustomData(s.customData())
                    .withLinuxConfiguration(
                        new LinuxConfiguration()
                            .withDisablePasswordAuthentication(true)
                            .withSsh(
                                new SshConfiguration()
                                    .withPublicKeys(
                                        List.of(
                                            new SshPublicKey()
                                                .withPath(
                                                    "/home/" + ADMIN + "/.ssh/authorized_keys")
                                                .withKeyData(
                                                    s.sshPublicKey() == null
                                                        ? PLACEHOLDER_KEY
                                                        : s.sshPublicKey()))))))
            .withNetworkProfile(
                new NetworkProfile()
                    .withNetworkInterfaces(
                        List.of(
                            new NetworkInterfaceReference()
                                .withId(s.nicId())
                                .withPrimary(true)
                                .withDeleteOption(DeleteOptions.DELETE))));
    if (s.zone() != null) {
      vm.withZones(List.of(s.zone()));
    }
    if (s.spot()) {
      vm.withPriority(VirtualMachinePriorityTypes.SPOT)
          .withEvictionPolicy(VirtualMachineEvictionPolicyTypes.DELETE)
          .withBillingProfile(new BillingProfile().withMaxPrice(-1.0));
    } else {
      vm.withPriority(VirtualMachinePriorityTypes.REGULAR);
    }
    if (s.kubeletIdentityId() != null) {
      vm.withIdentity(
          new VirtualMachineIdentity()
              .withType(ResourceIdentityType.USER_ASSIGNED)
              .withUserAssignedIdentities(
                  Map.of(
                      s.kubeletIdentityId(), new VirtualMachineIdentityUserAssignedIdentities())));
    }
    AKSNodeClassSpec.Security sec = s.security();
    if (sec != null) {
      SecurityProfile profile = new SecurityProfile();
      boolean any = false;
      if (sec.encryptionAtHost != null) {
        profile.withEncryptionAtHost(sec.encryptionAtHost);
        any = true;
      }
      if (sec.trustedLaunch != null) {
        profile
            .withSecurityType(SecurityTypes.TRUSTED_LAUNCH)
            .withUefiSettings(
                new UefiSettings()
                    .withSecureBootEnabled(sec.trustedLaunch.secureBoot)
                    .withVTpmEnabled(sec.trustedLaunch.vtpm));
        any = true;
      }
      if (any) {
        vm.withSecurityProfile(profile);
      }
    }
    return vm;
  }
}
