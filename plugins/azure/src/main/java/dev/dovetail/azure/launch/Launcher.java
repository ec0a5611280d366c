package dev.dovetail.azure.launch;

import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import dev.dovetail.azure.arm.ArmErrors;
import dev.dovetail.azure.instancetype.InstanceTypeProvider;
import dev.dovetail.azure.instancetype.Sku;
import dev.dovetail.azure.nodeclass.ImageProvider;
import dev.dovetail.azure.nodeclass.NodeClassHash;
import dev.dovetail.azure.options.AzureSettings;
import dev.dovetail.azure.v1beta1.AKSNodeClassSpec;
import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches one NodeClaim: finds its VM first (idempotent by NodeClaim name, so a retry after a
 * crash between the VM create and the core's status write finds the VM instead of making a second),
 * chooses the offering (spot when allowed, then the cheapest compatible available one), creates the
 * NIC and then the VM, and on failure removes what it made. Capacity errors mark the offering
 * unavailable and throw {@link InsufficientCapacityException} naming it.
 */
public final class Launcher {
  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  private final AzureSettings settings;
  private final VmProvider vms;
  private final InstanceTypeProvider instanceTypes;
  private final ImageProvider images;
  private final UnavailableOfferings unavailable;
  private final java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public Launcher(
      AzureSettings settings,
      VmProvider vms,
      InstanceTypeProvider instanceTypes,
      ImageProvider images,
      UnavailableOfferings unavailable) {
    this.settings = settings;
    this.vms = vms;
    this.instanceTypes = instanceTypes;
    this.images = images;
    this.unavailable = unavailable;
  }

  /** One candidate: a size with one of its offerings. */
  record Choice(InstanceType type, Offering offering) {}

  /** Whether a launch of this VM is in progress (its NIC may exist before its VM). */
  public boolean inFlight(String vmName) {
    return inFlight.contains(vmName);
  }

  public Instance launch(NodeClaimView claim, AKSNodeClassSpec spec) {
    String vmName = VmProvider.vmName(claim.name());
    inFlight.add(vmName);
    try {
      return launchOnce(claim, spec, vmName);
    } finally {
      inFlight.remove(vmName);
    }
  }

  private Instance launchOnce(NodeClaimView claim, AKSNodeClassSpec spec, String vmName) {
    Optional<VirtualMachineInner> existing = vms.find(vms.resourceGroup(), vmName);
    if (existing.isPresent() && !"Failed".equals(existing.get().provisioningState())) {
      LOG.info("azure: NodeClaim {} already has VM {}", claim.name(), vmName);
      return vms.toInstance(existing.get());
    }
    if (existing.isPresent()) {
      // A launch that failed before a crash left its VM in Failed: remove it, then launch anew.
      vms.deleteAll(vms.resourceGroup(), vmName);
    }
    Choice choice = choose(claim, spec);
    OfferingKey key = choice.offering().key(choice.type().name());
    Sku sku = instanceTypes.sku(choice.type().name()).orElseThrow();
    String imageId = images.latest(spec == null ? null : spec.imageFamily, sku.arch());
    String subnet =
        spec != null && spec.vnetSubnetID != null ? spec.vnetSubnetID : settings.vnetSubnetId();
    int maxPods =
        spec == null || spec.maxPods == null ? InstanceTypeProvider.DEFAULT_MAX_PODS : spec.maxPods;
    Map<String, String> tags = tags(claim, spec, maxPods);
    boolean spot = WellKnownLabels.CAPACITY_TYPE_SPOT.equals(key.capacityType());
    try {
      String nicId = vms.createNic(vmName, subnet, sku.acceleratedNetworking(), tags);
      VirtualMachineInner body =
          VmRequest.build(
              new VmRequest.Spec(
                  settings.location(),
                  vmName,
                  sku.name(),
                  key.zone().equals("0")
                      ? null
                      : key.zone().substring(key.zone().lastIndexOf('-') + 1),
                  spot,
                  imageId,
                  nicId,
                  spec == null || spec.osDiskSizeGB == null ? 128 : spec.osDiskSizeGB,
                  customData(claim, choice, key, maxPods).encoded(),
                  settings.sshPublicKey(),
                  settings.kubeletIdentityId(),
                  spec == null ? null : spec.security,
                  tags));
      VirtualMachineInner vm = vms.createVm(vmName, body);
      LOG.info(
          "azure: launched VM {} ({} {} {}) for NodeClaim {}",
          vmName,
          sku.name(),
          key.zone(),
          key.capacityType(),
          claim.name());
      return vms.toInstance(vm);
    } catch (RuntimeException e) {
      cleanUp(vmName);
      if (ArmErrors.isCapacity(e)) {
        unavailable.markUnavailable(key);
        throw new InsufficientCapacityException(
            "azure: no capacity for " + key + ": " + ArmErrors.describe(e), List.of(key));
      }
      String code = ArmErrors.code(e);
      if (!code.isEmpty()) {
        throw new CreateException(
            code, "azure: launching " + vmName + " failed: " + ArmErrors.describe(e), e);
      }
      throw e;
    }
  }

  /**
   * Removes a failed launch's VM, NIC and disk; a failure here is logged, the next delete retries.
   */
  private void cleanUp(String vmName) {
    try {
      vms.deleteAll(vms.resourceGroup(), vmName);
    } catch (RuntimeException cleanupFailed) {
      LOG.warn(
          "azure: cleaning up failed launch {}: {}", vmName, ArmErrors.describe(cleanupFailed));
    }
  }

  Choice choose(NodeClaimView claim, AKSNodeClassSpec spec) {
    List<String> options = claim.instanceTypeOptions();
    Map<String, InstanceType> byName = new LinkedHashMap<>();
    for (InstanceType it : instanceTypes.list(spec)) {
      byName.put(it.name(), it);
    }
    List<Choice> candidates = new ArrayList<>();
    List<OfferingKey> struck = new ArrayList<>();
    List<String> names = options.isEmpty() ? List.copyOf(byName.keySet()) : options;
    for (String name : names) {
      InstanceType it = byName.get(name);
      if (it == null) {
        continue;
      }
      for (Offering o : it.offerings()) {
        if (!o.compatibleWith(claim.requirements())) {
          continue;
        }
        if (o.available()) {
          candidates.add(new Choice(it, o));
        } else {
          struck.add(o.key(it.name()));
        }
      }
    }
    if (candidates.isEmpty()) {
      if (!struck.isEmpty()) {
        throw new InsufficientCapacityException(
            "azure: every compatible offering is unavailable: " + struck, struck);
      }
      throw new CreateException(
          "NoCompatibleInstanceType",
          "azure: no instance type of "
              + names
              + " offers what NodeClaim "
              + claim.name()
              + " requires");
    }
    // Upstream: spot whenever the claim allows it and a spot offering is available.
    boolean anySpot =
        candidates.stream()
            .anyMatch(c -> WellKnownLabels.CAPACITY_TYPE_SPOT.equals(c.offering().capacityType()));
    return candidates.stream()
        .filter(
            c -> !anySpot || WellKnownLabels.CAPACITY_TYPE_SPOT.equals(c.offering().capacityType()))
        .min(Comparator.comparingDouble(c -> c.offering().price()))
        .orElseThrow();
  }

  private Map<String, String> tags(NodeClaimView claim, AKSNodeClassSpec spec, int maxPods) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (spec != null && spec.tags != null) {
      tags.putAll(spec.tags);
    }
    tags.put(Tags.CLUSTER, settings.clusterName());
    tags.put(Tags.NODE_POOL, claim.nodePool());
    tags.put(Tags.NODE_CLAIM, claim.name());
    tags.put(Tags.NODECLASS_HASH, NodeClassHash.of(spec));
    tags.put(Tags.MAX_PODS, String.valueOf(maxPods));
    tags.put(Tags.BILLING, "linux");
    return tags;
  }

  private CustomData customData(NodeClaimView claim, Choice choice, OfferingKey key, int maxPods) {
    Map<String, String> labels = new LinkedHashMap<>(claim.labels());
    labels.put(WellKnownLabels.CAPACITY_TYPE, key.capacityType());
    labels.put(WellKnownLabels.ZONE, key.zone());
    labels.put(WellKnownLabels.INSTANCE_TYPE, choice.type().name());
    labels.put("kubernetes.azure.com/cluster", settings.nodeResourceGroup());
    List<Taint> taints = new ArrayList<>(claim.taints());
    taints.addAll(claim.startupTaints());
    return new CustomData(
        settings.clusterEndpoint(),
        settings.bootstrapToken(),
        labels,
        taints,
        maxPods,
        settings.kubeletIdentityClientId());
  }
}
