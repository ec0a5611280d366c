package dev.dovetail.gcp.instancetype;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.gcp.pricing.PricingProvider;
import dev.dovetail.gcp.v1alpha1.Disk;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import dev.dovetail.gcp.v1alpha1.KubeletConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns a GCE machine type into a Karpenter instance type: requirements with upstream's labels,
 * capacity (guest CPUs, memory less the hypervisor's share, pods, boot disk, GPUs), GKE's
 * reservations as overhead, and one offering per zone and capacity type with its price.
 */
public final class InstanceTypeMapper {
  /** Default kubelet maxPods on GKE Standard. */
  public static final int DEFAULT_MAX_PODS = 110;

  /** Default boot disk when the GCENodeClass declares none (GKE's default node disk). */
  public static final int DEFAULT_BOOT_DISK_GIB = 100;

  /** Share of memory the hypervisor and firmware keep. */
  static final double VM_MEMORY_OVERHEAD = 0.075;

  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  private final String region;
  private final PricingProvider pricing;
  private final UnavailableOfferings unavailable;

  public InstanceTypeMapper(
      String region, PricingProvider pricing, UnavailableOfferings unavailable) {
    this.region = region;
    this.pricing = pricing;
    this.unavailable = unavailable;
  }

  /** The instance type, or empty when the shape cannot be priced. */
  public Optional<InstanceType> map(MachineTypeInfo mt, GCENodeClass nodeClass) {
    PricingProvider.Shape shape =
        new PricingProvider.Shape(
            mt.name(), mt.vcpus(), mt.memoryMiB(), mt.acceleratorType(), mt.acceleratorCount());
    OptionalDouble onDemand = pricing.price(shape, false);
    OptionalDouble spot = pricing.price(shape, true);
    if (onDemand.isEmpty() || onDemand.getAsDouble() <= 0) {
      return Optional.empty();
    }
    List<Offering> offerings = new ArrayList<>();
    for (String zone : mt.zones()) {
      offerings.add(offering(mt.name(), zone, WellKnownLabels.CAPACITY_TYPE_ON_DEMAND, onDemand));
      if (spot.isPresent() && spot.getAsDouble() > 0) {
        offerings.add(offering(mt.name(), zone, WellKnownLabels.CAPACITY_TYPE_SPOT, spot));
      }
    }
    long bootGiB = bootDiskGiB(nodeClass);
    Resources capacity = capacity(mt, nodeClass, bootGiB);
    InstanceType.Overhead overhead =
        new InstanceType.Overhead(
            kubeReserved(mt, nodeClass),
            KubeReserved.systemReserved(bootGiB),
            KubeReserved.evictionThreshold(bootGiB));
    return Optional.of(
        new InstanceType(mt.name(), requirements(mt), offerings, capacity, overhead));
  }

  private Offering offering(String type, String zone, String capacityType, OptionalDouble price) {
    boolean available = !unavailable.isUnavailable(new OfferingKey(type, zone, capacityType));
    return new Offering(zone, capacityType, price.getAsDouble(), available);
  }

  /** Upstream's requirements: one value per label, absent labels as DoesNotExist. */
  public Requirements requirements(MachineTypeInfo mt) {
    List<Requirement> reqs = new ArrayList<>();
    reqs.add(Requirement.in(WellKnownLabels.INSTANCE_TYPE, mt.name()));
    reqs.add(Requirement.in(WellKnownLabels.ARCH, mt.arch()));
    reqs.add(Requirement.in(WellKnownLabels.OS, "linux"));
    reqs.add(Requirement.in(WellKnownLabels.REGION, region));
    reqs.add(Requirement.in(GceLabels.INSTANCE_CPU, Integer.toString(mt.vcpus())));
    reqs.add(Requirement.in(GceLabels.INSTANCE_MEMORY, Long.toString(mt.memoryMiB())));
    String[] parts = mt.name().split("-");
    if (parts.length >= 2) {
      int sizeOffset = parts.length > 3 ? 2 : 1;
      reqs.add(Requirement.in(GceLabels.INSTANCE_FAMILY, parts[0]));
      reqs.add(Requirement.in(GceLabels.INSTANCE_SHAPE, parts[1]));
      reqs.add(Requirement.in(GceLabels.INSTANCE_SIZE, parts[parts.length - sizeOffset]));
      reqs.add(Requirement.in(GceLabels.INSTANCE_GENERATION, generation(parts[0])));
    } else {
      reqs.add(Requirement.doesNotExist(GceLabels.INSTANCE_FAMILY));
    }
    if (mt.acceleratorCount() > 0) {
      reqs.add(Requirement.in(GceLabels.INSTANCE_GPU_NAME, mt.acceleratorType()));
      reqs.add(
          Requirement.in(GceLabels.INSTANCE_GPU_COUNT, Integer.toString(mt.acceleratorCount())));
      reqs.add(Requirement.in(GceLabels.INSTANCE_GPU_MANUFACTURER, "nvidia"));
      reqs.add(Requirement.in(GceLabels.GKE_ACCELERATOR, mt.acceleratorType()));
    } else {
      reqs.add(Requirement.doesNotExist(GceLabels.INSTANCE_GPU_NAME));
      reqs.add(Requirement.doesNotExist(GceLabels.INSTANCE_GPU_COUNT));
      reqs.add(Requirement.doesNotExist(GceLabels.INSTANCE_GPU_MANUFACTURER));
      reqs.add(Requirement.doesNotExist(GceLabels.GKE_ACCELERATOR));
    }
    return Requirements.of(reqs);
  }

  /** The generation digit of a family: {@code n2} → 2, {@code c3d} → 3, {@code t2a} → 2. */
  static String generation(String family) {
    int offset = family.length() == 3 ? 2 : 1;
    return family.length() < offset
        ? family
        : String.valueOf(family.charAt(family.length() - offset));
  }

  private Resources capacity(MachineTypeInfo mt, GCENodeClass nodeClass, long bootGiB) {
    long memoryBytes = mt.memoryMiB() * MIB;
    memoryBytes -= (long) (memoryBytes * VM_MEMORY_OVERHEAD);
    Map<String, Long> amounts = new java.util.LinkedHashMap<>();
    amounts.put(Resources.CPU, mt.vcpus() * 1000L);
    amounts.put(Resources.MEMORY, memoryBytes);
    amounts.put(Resources.PODS, (long) maxPods(nodeClass, mt.vcpus()));
    amounts.put(Resources.EPHEMERAL_STORAGE, bootGiB * GIB);
    if (mt.acceleratorCount() > 0) {
      amounts.put(Resources.NVIDIA_GPU, (long) mt.acceleratorCount());
    }
    return Resources.of(amounts);
  }

  static int maxPods(GCENodeClass nodeClass, int vcpus) {
    KubeletConfiguration kc = kubelet(nodeClass);
    int max = kc != null && kc.maxPods != null ? kc.maxPods : DEFAULT_MAX_PODS;
    if (kc != null && kc.podsPerCore != null && kc.podsPerCore > 0) {
      max = Math.min(max, kc.podsPerCore * vcpus);
    }
    return Math.max(max, 1);
  }

  private static Resources kubeReserved(MachineTypeInfo mt, GCENodeClass nodeClass) {
    Resources computed = KubeReserved.kubeReserved(mt.name(), mt.vcpus(), mt.memoryMiB());
    KubeletConfiguration kc = kubelet(nodeClass);
    if (kc == null || kc.kubeReserved == null || kc.kubeReserved.isEmpty()) {
      return computed;
    }
    Map<String, Long> merged = new java.util.HashMap<>(computed.asMap());
    Map<String, String> known = new java.util.HashMap<>(kc.kubeReserved);
    known.keySet().retainAll(java.util.Set.of("cpu", "memory", "ephemeral-storage"));
    merged.putAll(Resources.parse(known).asMap());
    return Resources.of(merged);
  }

  private static KubeletConfiguration kubelet(GCENodeClass nodeClass) {
    return nodeClass == null || nodeClass.getSpec() == null
        ? null
        : nodeClass.getSpec().kubeletConfiguration;
  }

  /** The boot disk's size from the GCENodeClass, or GKE's default. */
  public static long bootDiskGiB(GCENodeClass nodeClass) {
    if (nodeClass != null && nodeClass.getSpec() != null && nodeClass.getSpec().disks != null) {
      for (Disk d : nodeClass.getSpec().disks) {
        if (d.isBoot() && d.sizeGiB != null) {
          return d.sizeGiB;
        }
      }
    }
    return DEFAULT_BOOT_DISK_GIB;
  }
}
