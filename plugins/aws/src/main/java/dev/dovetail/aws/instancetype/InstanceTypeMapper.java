package dev.dovetail.aws.instancetype;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.BlockDeviceMapping;
import dev.dovetail.aws.apis.v1.EC2NodeClassSpec;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.nodeclass.KubeletSettings;
import dev.dovetail.aws.pricing.PricingProvider;
import dev.dovetail.cloudprovider.EksKubeReserved;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Quantities;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.GpuDeviceInfo;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/**
 * Turns one {@code DescribeInstanceTypes} entry into an SPI {@link InstanceType} the way upstream
 * does: well-known and {@code karpenter.k8s.aws/*} labels as requirements, capacity (memory less
 * the VM overhead and Graviton's CMA, ENI-limited pods, root volume as ephemeral storage, GPUs,
 * Neuron, EFA) and overhead (kube-reserved tiers, eviction threshold, user overrides).
 */
public final class InstanceTypeMapper {
  private static final Pattern SCHEME = Pattern.compile("(^[a-z]+)(-[0-9]+tb)?([0-9]+).*\\.");
  private static final long MI = 1L << 20;
  private static final long GI = 1L << 30;

  /** What the mapping needs besides the instance type. */
  public record Context(
      String region,
      AmiFamily family,
      EC2NodeClassSpec spec,
      KubeletSettings kubelet,
      Map<String, String> zoneIds,
      List<EC2NodeClassStatus.CapacityReservation> reservations,
      PricingProvider pricing,
      UnavailableOfferings unavailable,
      double vmMemoryOverheadPercent,
      int reservedEnis) {}

  private static final Map<AmiFamily, String> WINDOWS_BUILDS =
      Map.of(
          AmiFamily.Windows2019, "10.0.17763",
          AmiFamily.Windows2022, "10.0.20348",
          AmiFamily.Windows2025, "10.0.26100");

  private InstanceTypeMapper() {}

  public static InstanceType map(InstanceTypeInfo info, Set<String> offeredZones, Context ctx) {
    String name = info.instanceTypeAsString();
    Set<String> zones = new LinkedHashSet<>();
    for (String z : ctx.zoneIds().keySet()) {
      if (offeredZones.contains(z)) {
        zones.add(z);
      }
    }
    List<Offering> offerings = offerings(name, info, zones, ctx);
    Resources capacity = capacity(info, ctx);
    return new InstanceType(
        name,
        requirements(info, zones, offerings, ctx),
        offerings,
        capacity,
        overhead(capacity, ctx.kubelet()));
  }

  static List<Offering> offerings(
      String name, InstanceTypeInfo info, Set<String> zones, Context ctx) {
    List<Offering> out = new ArrayList<>();
    List<String> usage = info.supportedUsageClassesAsStrings();
    for (String zone : zones) {
      for (String ct :
          List.of(WellKnownLabels.CAPACITY_TYPE_ON_DEMAND, WellKnownLabels.CAPACITY_TYPE_SPOT)) {
        if (!usage.contains(ct)) {
          continue;
        }
        Optional<Double> price =
            ct.equals(WellKnownLabels.CAPACITY_TYPE_SPOT)
                ? ctx.pricing().spotPrice(name, zone)
                : ctx.pricing().onDemandPrice(name);
        boolean available = price.isPresent() && !ctx.unavailable().isUnavailable(name, zone, ct);
        out.add(new Offering(zone, ct, price.orElse(Double.MAX_VALUE), available));
      }
    }
    for (EC2NodeClassStatus.CapacityReservation cr : ctx.reservations()) {
      if (!name.equals(cr.instanceType) || !zones.contains(cr.availabilityZone)) {
        continue;
      }
      int free = cr.availableInstanceCount == null ? 0 : cr.availableInstanceCount;
      // Reserved capacity is already paid for: priced near zero so it is always used first.
      double price = ctx.pricing().onDemandPrice(name).orElse(1.0) / 10_000_000d;
      boolean available =
          free > 0
              && !ctx.unavailable()
                  .isUnavailable(
                      name,
                      cr.availabilityZone,
                      WellKnownLabels.CAPACITY_TYPE_RESERVED + "/" + cr.id);
      out.add(
          new Offering(
              cr.availabilityZone,
              WellKnownLabels.CAPACITY_TYPE_RESERVED,
              price,
              available,
              cr.id,
              free));
    }
    return out;
  }

  static Requirements requirements(
      InstanceTypeInfo info, Set<String> zones, List<Offering> offerings, Context ctx) {
    String name = info.instanceTypeAsString();
    List<Requirement> rs = new ArrayList<>();
    rs.add(Requirement.in(WellKnownLabels.INSTANCE_TYPE, name));
    rs.add(Requirement.in(WellKnownLabels.ARCH, arch(info)));
    rs.add(Requirement.in(WellKnownLabels.OS, ctx.family().isWindows() ? "windows" : "linux"));
    rs.add(Requirement.in(WellKnownLabels.ZONE, zones));
    rs.add(Requirement.in(WellKnownLabels.REGION, ctx.region()));
    Set<String> capacityTypes = new LinkedHashSet<>();
    offerings.forEach(o -> capacityTypes.add(o.capacityType()));
    rs.add(Requirement.in(WellKnownLabels.CAPACITY_TYPE, capacityTypes));
    List<String> zoneIds =
        zones.stream().map(z -> ctx.zoneIds().get(z)).filter(z -> z != null).toList();
    if (!zoneIds.isEmpty()) {
      rs.add(Requirement.in(AwsLabels.ZONE_ID, zoneIds));
    }
    List<String> reservationIds =
        offerings.stream()
            .map(Offering::reservationId)
            .filter(id -> id != null)
            .distinct()
            .toList();
    if (!reservationIds.isEmpty()) {
      rs.add(Requirement.in(WellKnownLabels.CAPACITY_RESERVATION_ID, reservationIds));
    }
    if (ctx.family().isWindows()) {
      rs.add(Requirement.in(WellKnownLabels.WINDOWS_BUILD, WINDOWS_BUILDS.get(ctx.family())));
    }
    rs.add(Requirement.in(AwsLabels.INSTANCE_CPU, String.valueOf(info.vCpuInfo().defaultVCpus())));
    rs.add(
        Requirement.in(AwsLabels.INSTANCE_MEMORY, String.valueOf(info.memoryInfo().sizeInMiB())));
    rs.add(
        Requirement.in(
            AwsLabels.INSTANCE_HYPERVISOR,
            info.hypervisorAsString() == null ? "" : info.hypervisorAsString()));
    boolean eit =
        info.networkInfo() != null
            && Boolean.TRUE.equals(info.networkInfo().encryptionInTransitSupported());
    rs.add(Requirement.in(AwsLabels.INSTANCE_ENCRYPTION_IN_TRANSIT_SUPPORTED, String.valueOf(eit)));
    Matcher m = SCHEME.matcher(name);
    if (m.find()) {
      rs.add(Requirement.in(AwsLabels.INSTANCE_CATEGORY, m.group(1)));
      rs.add(Requirement.in(AwsLabels.INSTANCE_GENERATION, m.group(3)));
    }
    String[] parts = name.split("\\.");
    if (parts.length == 2) {
      rs.add(Requirement.in(AwsLabels.INSTANCE_FAMILY, parts[0]));
      rs.add(Requirement.in(AwsLabels.INSTANCE_SIZE, parts[1]));
      rs.add(
          Requirement.in(
              AwsLabels.INSTANCE_CAPABILITY_FLEX, String.valueOf(parts[0].contains("-flex"))));
    }
    if (info.instanceStorageInfo() != null
        && !"unsupported".equals(info.instanceStorageInfo().nvmeSupportAsString())
        && info.instanceStorageInfo().totalSizeInGB() != null) {
      rs.add(
          Requirement.in(
              AwsLabels.INSTANCE_LOCAL_NVME,
              String.valueOf(info.instanceStorageInfo().totalSizeInGB())));
    }
    if (info.networkInfo() != null
        && info.networkInfo().hasNetworkCards()
        && !info.networkInfo().networkCards().isEmpty()
        && info.networkInfo().networkCards().get(0).baselineBandwidthInGbps() != null) {
      long mbps =
          Math.round(info.networkInfo().networkCards().get(0).baselineBandwidthInGbps() * 1000);
      rs.add(Requirement.in(AwsLabels.INSTANCE_NETWORK_BANDWIDTH, String.valueOf(mbps)));
    }
    if (info.gpuInfo() != null && info.gpuInfo().gpus().size() == 1) {
      GpuDeviceInfo gpu = info.gpuInfo().gpus().get(0);
      rs.add(Requirement.in(AwsLabels.INSTANCE_GPU_NAME, kebab(gpu.name())));
      rs.add(Requirement.in(AwsLabels.INSTANCE_GPU_MANUFACTURER, kebab(gpu.manufacturer())));
      rs.add(Requirement.in(AwsLabels.INSTANCE_GPU_COUNT, String.valueOf(gpu.count())));
      if (gpu.memoryInfo() != null) {
        rs.add(
            Requirement.in(
                AwsLabels.INSTANCE_GPU_MEMORY, String.valueOf(gpu.memoryInfo().sizeInMiB())));
      }
    }
    if (info.neuronInfo() != null && info.neuronInfo().neuronDevices().size() == 1) {
      var device = info.neuronInfo().neuronDevices().get(0);
      rs.add(Requirement.in(AwsLabels.INSTANCE_ACCELERATOR_NAME, kebab(device.name())));
      rs.add(Requirement.in(AwsLabels.INSTANCE_ACCELERATOR_MANUFACTURER, "aws"));
      rs.add(Requirement.in(AwsLabels.INSTANCE_ACCELERATOR_COUNT, String.valueOf(device.count())));
    }
    if (info.processorInfo() != null) {
      if (info.processorInfo().manufacturer() != null) {
        rs.add(
            Requirement.in(
                AwsLabels.INSTANCE_CPU_MANUFACTURER, kebab(info.processorInfo().manufacturer())));
      }
      if (info.processorInfo().sustainedClockSpeedInGhz() != null) {
        rs.add(
            Requirement.in(
                AwsLabels.INSTANCE_CPU_SUSTAINED_CLOCK_SPEED_MHZ,
                String.valueOf(
                    Math.round(info.processorInfo().sustainedClockSpeedInGhz() * 1000))));
      }
    }
    if (info.ebsInfo() != null
        && info.ebsInfo().ebsOptimizedInfo() != null
        && "default".equals(info.ebsInfo().ebsOptimizedSupportAsString())) {
      rs.add(
          Requirement.in(
              AwsLabels.INSTANCE_EBS_BANDWIDTH,
              String.valueOf(info.ebsInfo().ebsOptimizedInfo().maximumBandwidthInMbps())));
    }
    return Requirements.of(rs);
  }

  public static String arch(InstanceTypeInfo info) {
    List<String> archs = info.processorInfo().supportedArchitecturesAsStrings();
    return !archs.isEmpty() && archs.get(0).equals("arm64") ? "arm64" : "amd64";
  }

  private static String kebab(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT).replace(' ', '-');
  }

  static Resources capacity(InstanceTypeInfo info, Context ctx) {
    Map<String, Long> r = new TreeMap<>();
    int vcpus = info.vCpuInfo().defaultVCpus();
    r.put(Resources.CPU, vcpus * 1000L);
    long mib = info.memoryInfo().sizeInMiB();
    if ("arm64".equals(arch(info))) {
      mib -= 64; // Graviton keeps 64 MiB for CMA
    }
    long mem = mib * MI;
    long vmOverheadMi = (long) Math.ceil(mem * ctx.vmMemoryOverheadPercent() / MI);
    r.put(Resources.MEMORY, mem - vmOverheadMi * MI);
    r.put(Resources.PODS, pods(info, ctx));
    r.put(Resources.EPHEMERAL_STORAGE, ephemeralStorage(info, ctx));
    long nvidia = 0;
    long amd = 0;
    long habana = 0;
    if (info.gpuInfo() != null) {
      for (GpuDeviceInfo g : info.gpuInfo().gpus()) {
        switch (g.manufacturer() == null ? "" : g.manufacturer()) {
          case "NVIDIA" -> nvidia += g.count();
          case "AMD" -> amd += g.count();
          case "Habana" -> habana += g.count();
          default -> {}
        }
      }
    }
    putPositive(r, Resources.NVIDIA_GPU, nvidia);
    putPositive(r, Resources.AMD_GPU, amd);
    putPositive(r, AwsLabels.HABANA_GAUDI, habana);
    if (info.neuronInfo() != null && !info.neuronInfo().neuronDevices().isEmpty()) {
      long devices = 0;
      for (var d : info.neuronInfo().neuronDevices()) {
        devices += d.count();
      }
      var first = info.neuronInfo().neuronDevices().get(0);
      putPositive(r, AwsLabels.NEURON, devices);
      if (first.coreInfo() != null) {
        putPositive(r, AwsLabels.NEURON_CORE, (long) first.count() * first.coreInfo().count());
      }
    }
    List<EC2NodeClassSpec.NetworkInterface> nics = ctx.spec().networkInterfaces;
    long efa =
        nics != null
            ? nics.stream().filter(n -> "efa-only".equals(n.interfaceType)).count()
            : info.networkInfo() != null
                    && info.networkInfo().efaInfo() != null
                    && info.networkInfo().efaInfo().maximumEfaInterfaces() != null
                ? info.networkInfo().efaInfo().maximumEfaInterfaces()
                : 0;
    putPositive(r, AwsLabels.EFA, efa);
    return Resources.of(r);
  }

  private static void putPositive(Map<String, Long> r, String key, long v) {
    if (v > 0) {
      r.put(key, v);
    }
  }

  /** kubelet maxPods, else ENI-limited density (not on Windows), else 110; podsPerCore caps it. */
  static long pods(InstanceTypeInfo info, Context ctx) {
    long count;
    if (ctx.kubelet().maxPods() != null) {
      count = ctx.kubelet().maxPods();
    } else if (!ctx.family().isWindows()) {
      count = eniLimitedPods(info, ctx);
    } else {
      count = 110;
    }
    Integer ppc = ctx.kubelet().podsPerCore();
    if (ppc != null && ppc > 0 && ctx.family() != AmiFamily.Bottlerocket) {
      count = Math.min(count, (long) ppc * info.vCpuInfo().defaultVCpus());
    }
    return count;
  }

  /** ENIs × (IPv4 addresses per ENI − 1) + 2 (the EKS AMI's eni-max-pods formula). */
  public static long eniLimitedPods(InstanceTypeInfo info, Context ctx) {
    var net = info.networkInfo();
    int enis = net.maximumNetworkInterfaces();
    if (net.hasNetworkCards()
        && !net.networkCards().isEmpty()
        && net.defaultNetworkCardIndex() != null) {
      int idx = net.defaultNetworkCardIndex();
      for (var card : net.networkCards()) {
        if (card.networkCardIndex() != null
            && card.networkCardIndex() == idx
            && card.maximumNetworkInterfaces() != null) {
          enis = card.maximumNetworkInterfaces();
        }
      }
    }
    long efaOnly =
        ctx.spec().networkInterfaces == null
            ? 0
            : ctx.spec().networkInterfaces.stream()
                .filter(
                    n ->
                        n.networkCardIndex != null
                            && n.networkCardIndex == 0
                            && "efa-only".equals(n.interfaceType))
                .count();
    long usable = Math.max(0, enis - ctx.reservedEnis() - efaOnly);
    if (usable == 0) {
      return 0;
    }
    return usable * (net.ipv4AddressesPerInterface() - 1) + 2;
  }

  static long ephemeralStorage(InstanceTypeInfo info, Context ctx) {
    EC2NodeClassSpec spec = ctx.spec();
    if (spec.instanceStorePolicy == EC2NodeClassSpec.InstanceStorePolicy.RAID0
        && info.instanceStorageInfo() != null
        && info.instanceStorageInfo().totalSizeInGB() != null) {
      return info.instanceStorageInfo().totalSizeInGB() * 1_000_000_000L;
    }
    List<BlockDeviceMapping> bdms = spec.blockDeviceMappings;
    if (bdms != null && !bdms.isEmpty()) {
      for (BlockDeviceMapping b : bdms) {
        if (Boolean.TRUE.equals(b.rootVolume) && b.ebs != null && b.ebs.volumeSize != null) {
          return size(b.ebs.volumeSize);
        }
      }
      if (ctx.family() == AmiFamily.Custom) {
        BlockDeviceMapping last = bdms.get(bdms.size() - 1);
        return last.ebs != null && last.ebs.volumeSize != null
            ? size(last.ebs.volumeSize)
            : 20 * GI;
      }
      String device = ephemeralDevice(ctx.family());
      for (BlockDeviceMapping b : bdms) {
        if (device.equals(b.deviceName) && b.ebs != null && b.ebs.volumeSize != null) {
          return size(b.ebs.volumeSize);
        }
      }
    }
    return ctx.family().isWindows() ? 50 * GI : 20 * GI;
  }

  /** The device kubelet's root dir lives on, per family (upstream's EphemeralBlockDevice). */
  public static String ephemeralDevice(AmiFamily family) {
    return switch (family) {
      case Bottlerocket -> "/dev/xvdb";
      case Windows2019, Windows2022, Windows2025 -> "/dev/sda1";
      default -> "/dev/xvda";
    };
  }

  private static long size(String quantity) {
    return Quantities.toCanonical(Resources.EPHEMERAL_STORAGE, quantity);
  }

  static InstanceType.Overhead overhead(Resources capacity, KubeletSettings kubelet) {
    Map<String, Long> kube = new LinkedHashMap<>(EksKubeReserved.of(capacity).asMap());
    kubelet.kubeReserved().forEach((k, v) -> kube.put(k, Quantities.toCanonical(k, v)));
    Map<String, Long> system = new LinkedHashMap<>();
    kubelet.systemReserved().forEach((k, v) -> system.put(k, Quantities.toCanonical(k, v)));
    Map<String, Long> eviction = new LinkedHashMap<>();
    eviction.put(Resources.MEMORY, 100 * MI);
    long storage = capacity.get(Resources.EPHEMERAL_STORAGE);
    eviction.put(Resources.EPHEMERAL_STORAGE, (long) Math.ceil(storage / 100d * 10));
    String memSignal = kubelet.evictionHard().get("memory.available");
    if (memSignal != null) {
      eviction.put(
          Resources.MEMORY, signal(capacity.get(Resources.MEMORY), memSignal, Resources.MEMORY));
    }
    String fsSignal = kubelet.evictionHard().get("nodefs.available");
    if (fsSignal != null) {
      eviction.put(
          Resources.EPHEMERAL_STORAGE, signal(storage, fsSignal, Resources.EPHEMERAL_STORAGE));
    }
    return new InstanceType.Overhead(
        Resources.of(kube), Resources.of(system), Resources.of(eviction));
  }

  private static long signal(long capacity, String value, String resource) {
    if (value.endsWith("%")) {
      double p = Double.parseDouble(value.substring(0, value.length() - 1));
      if (p == 100) {
        p = 0;
      }
      return (long) Math.ceil(capacity / 100d * p);
    }
    return Quantities.toCanonical(resource, value);
  }
}
