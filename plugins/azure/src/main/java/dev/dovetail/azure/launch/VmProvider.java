package dev.dovetail.azure.launch;

import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.InstanceViewTypes;
import com.azure.resourcemanager.compute.models.VirtualMachinePriorityTypes;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceInner;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.models.IpAllocationMethod;
import dev.dovetail.azure.arm.ArmErrors;
import dev.dovetail.azure.arm.AzureClients;
import dev.dovetail.azure.instancetype.AksOverhead;
import dev.dovetail.azure.instancetype.InstanceTypeProvider;
import dev.dovetail.azure.instancetype.Sku;
import dev.dovetail.azure.options.AzureSettings;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VMs and NICs of the node resource group: create (NIC, then VM), get, list by ownership tag,
 * delete (VM, then NIC, then OS disk — a failure midway leaves what remains for the next call,
 * which the core keeps making until NotFound).
 */
public final class VmProvider {
  private static final Logger LOG = LoggerFactory.getLogger(VmProvider.class);

  private final AzureClients clients;
  private final AzureSettings settings;
  private final InstanceTypeProvider instanceTypes;
  private final java.util.Set<String> deleted = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public VmProvider(AzureClients clients, AzureSettings settings, InstanceTypeProvider types) {
    this.clients = clients;
    this.settings = settings;
    this.instanceTypes = types;
  }

  /**
   * The VM name of a NodeClaim (upstream: {@code aks-<nodeclaim>}); NIC and disk derive from it.
   */
  public static String vmName(String nodeClaim) {
    String n = "aks-" + nodeClaim;
    return n.length() > 64 ? n.substring(0, 64) : n;
  }

  public String resourceGroup() {
    return settings.nodeResourceGroup();
  }

  /** The VM, or empty when ARM says 404. */
  public Optional<VirtualMachineInner> find(String resourceGroup, String vmName) {
    try {
      return Optional.ofNullable(
          clients
              .compute()
              .getVirtualMachines()
              .getByResourceGroupWithResponse(
                  resourceGroup, vmName, (InstanceViewTypes) null, Context.NONE)
              .getValue());
    } catch (RuntimeException e) {
      if (ArmErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public Optional<NetworkInterfaceInner> findNic(String resourceGroup, String nicName) {
    try {
      return Optional.ofNullable(
          clients
              .network()
              .getNetworkInterfaces()
              .getByResourceGroupWithResponse(resourceGroup, nicName, null, Context.NONE)
              .getValue());
    } catch (RuntimeException e) {
      if (ArmErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Creates (or, when it exists, updates to the same body) the VM's NIC; returns its id. */
  public String createNic(
      String vmName, String subnetId, boolean acceleratedNetworking, Map<String, String> tags) {
    NetworkInterfaceInner nic =
        new NetworkInterfaceInner()
            .withIpConfigurations(
                List.of(
                    new NetworkInterfaceIpConfigurationInner()
                        .withName("ipconfig1")
                        .withPrimary(true)
                        .withPrivateIpAllocationMethod(IpAllocationMethod.DYNAMIC)
                        .withSubnet(new SubnetInner().withId(subnetId))))
            .withEnableAcceleratedNetworking(acceleratedNetworking);
    nic.withLocation(settings.location()).withTags(tags);
    NetworkInterfaceInner created =
        clients.network().getNetworkInterfaces().createOrUpdate(resourceGroup(), vmName, nic);
    return created.id();
  }

  public VirtualMachineInner createVm(String vmName, VirtualMachineInner body) {
    return clients.compute().getVirtualMachines().createOrUpdate(resourceGroup(), vmName, body);
  }

  /**
   * Deletes the VM, its NIC and its OS disk, in that order. Returns false when none of them
   * existed; throws when a step fails (what is left is deleted by the next call).
   */
  public boolean deleteAll(String resourceGroup, String vmName) {
    boolean existed = false;
    if (find(resourceGroup, vmName).isPresent()) {
      existed = true;
      deleted.add(vmName);
      clients.compute().getVirtualMachines().delete(resourceGroup, vmName, null, Context.NONE);
      LOG.info("azure: deleted VM {}/{}", resourceGroup, vmName);
    }
    if (findNic(resourceGroup, vmName).isPresent()) {
      existed = true;
      clients.network().getNetworkInterfaces().delete(resourceGroup, vmName);
      LOG.info("azure: deleted NIC {}/{}", resourceGroup, vmName);
    }
    String disk = VmRequest.osDiskName(vmName);
    if (diskExists(resourceGroup, disk)) {
      existed = true;
      clients.compute().getDisks().delete(resourceGroup, disk);
      LOG.info("azure: deleted OS disk {}/{}", resourceGroup, disk);
    }
    return existed;
  }

  private boolean diskExists(String resourceGroup, String disk) {
    try {
      return clients
              .compute()
              .getDisks()
              .getByResourceGroupWithResponse(resourceGroup, disk, Context.NONE)
              .getValue()
          != null;
    } catch (RuntimeException e) {
      if (ArmErrors.isNotFound(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Whether Dovetail itself deleted this VM (so its disappearance is no eviction). */
  public boolean deletedByUs(String vmName) {
    return deleted.contains(vmName);
  }

  /** Drops the memory of a VM Dovetail deleted, once its disappearance has been seen. */
  public void forgetDeleted(String vmName) {
    deleted.remove(vmName);
  }

  /** VMs of this cluster in the node resource group (by the cluster ownership tag). */
  public List<VirtualMachineInner> listOwned() {
    List<VirtualMachineInner> out = new ArrayList<>();
    for (VirtualMachineInner vm :
        clients.compute().getVirtualMachines().listByResourceGroup(resourceGroup())) {
      Map<String, String> tags = vm.tags() == null ? Map.of() : vm.tags();
      if (settings.clusterName().equals(tags.get(Tags.CLUSTER))) {
        out.add(vm);
      }
    }
    return out;
  }

  /** NICs of this cluster (by the cluster ownership tag), by name. */
  public List<NetworkInterfaceInner> listOwnedNics() {
    List<NetworkInterfaceInner> out = new ArrayList<>();
    for (NetworkInterfaceInner nic :
        clients.network().getNetworkInterfaces().listByResourceGroup(resourceGroup())) {
      Map<String, String> tags = nic.tags() == null ? Map.of() : nic.tags();
      if (settings.clusterName().equals(tags.get(Tags.CLUSTER))) {
        out.add(nic);
      }
    }
    return out;
  }

  /**
   * Deletes this cluster's NICs that belong to no VM and to no launch in flight: what a launch left
   * when its own clean-up failed too. Failures are logged; the next list retries.
   */
  public void collectOrphanNics(
      java.util.Set<String> vmNames, java.util.function.Predicate<String> inFlight) {
    for (NetworkInterfaceInner nic : listOwnedNics()) {
      String name = nic.name();
      if (name == null
          || vmNames.contains(name)
          || inFlight.test(name)
          || nic.virtualMachine() != null) {
        continue;
      }
      try {
        // Re-check against a launch that finished or started since the VMs were listed.
        if (find(resourceGroup(), name).isPresent() || inFlight.test(name)) {
          continue;
        }
        clients.network().getNetworkInterfaces().delete(resourceGroup(), name);
        LOG.info("azure: deleted orphaned NIC {}/{}", resourceGroup(), name);
      } catch (RuntimeException e) {
        LOG.warn("azure: deleting orphaned NIC {}: {}", name, ArmErrors.describe(e));
      }
    }
  }

  /** The VM as an SPI instance: size, zone, capacity type, labels, capacity and allocatable. */
  public Instance toInstance(VirtualMachineInner vm) {
    Map<String, String> tags = vm.tags() == null ? Map.of() : vm.tags();
    String size =
        vm.hardwareProfile() == null || vm.hardwareProfile().vmSize() == null
            ? ""
            : vm.hardwareProfile().vmSize().toString();
    String zone =
        vm.zones() == null || vm.zones().isEmpty()
            ? "0"
            : settings.location() + "-" + vm.zones().get(0);
    String capacityType =
        VirtualMachinePriorityTypes.SPOT.equals(vm.priority())
            ? WellKnownLabels.CAPACITY_TYPE_SPOT
            : WellKnownLabels.CAPACITY_TYPE_ON_DEMAND;
    Map<String, String> labels = new LinkedHashMap<>();
    Resources capacity = Resources.EMPTY;
    Resources allocatable = Resources.EMPTY;
    Optional<Sku> sku = size.isEmpty() ? Optional.empty() : instanceTypes.sku(size);
    if (sku.isPresent()) {
      labels.putAll(instanceTypes.labels(sku.get()));
      int maxPods = parseInt(tags.get(Tags.MAX_PODS), InstanceTypeProvider.DEFAULT_MAX_PODS);
      capacity =
          Resources.of(
              Resources.CPU,
              sku.get().vcpus() * 1000L,
              Resources.MEMORY,
              sku.get().memoryMiB() << 20,
              Resources.PODS,
              (long) maxPods);
      allocatable =
          capacity
              .subtract(AksOverhead.of(sku.get().vcpus(), sku.get().memoryMiB()).total())
              .clampNonNegative();
    }
    labels.put(WellKnownLabels.INSTANCE_TYPE, size);
    labels.put(WellKnownLabels.ZONE, zone);
    labels.put(WellKnownLabels.CAPACITY_TYPE, capacityType);
    if (tags.containsKey(Tags.NODE_POOL)) {
      labels.put(WellKnownLabels.NODE_POOL, tags.get(Tags.NODE_POOL));
    }
    String image =
        vm.storageProfile() == null || vm.storageProfile().imageReference() == null
            ? null
            : vm.storageProfile().imageReference().communityGalleryImageId();
    Instant launched = vm.timeCreated() == null ? null : vm.timeCreated().toInstant();
    return new Instance(
        ProviderIds.fromResourceId(vm.id()),
        tags.get(Tags.NODE_CLAIM),
        tags.get(Tags.NODE_POOL),
        size,
        zone,
        capacityType,
        image,
        labels,
        capacity,
        allocatable,
        launched,
        state(vm.provisioningState()));
  }

  /** ARM provisioning state as the SPI's state names. */
  static String state(String provisioningState) {
    if (provisioningState == null) {
      return "pending";
    }
    return switch (provisioningState) {
      case "Succeeded" -> "running";
      case "Deleting" -> "terminating";
      case "Failed" -> "failed";
      default -> "pending"; // Creating, Updating, Migrating
    };
  }

  /** The VM or NodeClaimNotFoundException. */
  public VirtualMachineInner require(ProviderIds.VmRef ref) {
    return find(ref.resourceGroup(), ref.name())
        .orElseThrow(
            () ->
                new NodeClaimNotFoundException(
                    "VM " + ref.resourceGroup() + "/" + ref.name() + " not found"));
  }

  /** The subnet id of the VM's primary NIC, or null when it has none. */
  public String subnetOf(String resourceGroup, String vmName) {
    return findNic(resourceGroup, vmName)
        .flatMap(
            nic ->
                nic.ipConfigurations() == null
                    ? Optional.empty()
                    : nic.ipConfigurations().stream()
                        .filter(c -> c.subnet() != null)
                        .map(c -> c.subnet().id())
                        .findFirst())
        .orElse(null);
  }

  private static int parseInt(String v, int fallback) {
    try {
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
