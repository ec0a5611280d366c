package dev.dovetail.azure.instancetype;

import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.compute.fluent.models.ResourceSkuInner;
import dev.dovetail.azure.pricing.Prices;
import dev.dovetail.azure.pricing.PricingProvider;
import dev.dovetail.azure.v1beta1.AKSNodeClassSpec;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Instance types from the Resource SKUs API of the cluster's location (cached for an hour; a failed
 * refresh throws rather than returning nothing), with upstream's labels, AKS's overhead, prices
 * from {@link PricingProvider} and the offerings {@link UnavailableOfferings} has not struck.
 */
public final class InstanceTypeProvider {
  /** AKS's default pods per node with Azure CNI overlay (and upstream's default). */
  public static final int DEFAULT_MAX_PODS = 250;

  static final Duration SKU_TTL = Duration.ofHours(1);

  private final ComputeManagementClient compute;
  private final String location;
  private final PricingProvider pricing;
  private final UnavailableOfferings unavailable;
  private final Clock clock;
  private volatile Snapshot snapshot;

  private record Snapshot(Map<String, Sku> skus, Instant at) {}

  public InstanceTypeProvider(
      ComputeManagementClient compute,
      String location,
      PricingProvider pricing,
      UnavailableOfferings unavailable,
      Clock clock) {
    this.compute = compute;
    this.location = location;
    this.pricing = pricing;
    this.unavailable = unavailable;
    this.clock = clock;
  }

  /** The VM sizes usable in the location, by name. */
  public Map<String, Sku> skus() {
    Snapshot s = snapshot;
    if (s == null || clock.instant().isAfter(s.at().plus(SKU_TTL))) {
      synchronized (this) {
        s = snapshot;
        if (s == null || clock.instant().isAfter(s.at().plus(SKU_TTL))) {
          Map<String, Sku> byName = new LinkedHashMap<>();
          for (ResourceSkuInner raw :
              compute
                  .getResourceSkus()
                  .list("location eq '" + location + "'", null, Context.NONE)) {
            Sku.from(raw, location).ifPresent(sku -> byName.putIfAbsent(sku.name(), sku));
          }
          s = new Snapshot(Map.copyOf(byName), clock.instant());
          snapshot = s;
        }
      }
    }
    return s.skus();
  }

  public Optional<Sku> sku(String name) {
    return Optional.ofNullable(skus().get(name));
  }

  /** The instance types a NodeClass can launch (every priced SKU; unavailable ones flagged). */
  public List<InstanceType> list(AKSNodeClassSpec spec) {
    Prices prices = pricing.prices();
    boolean streaming =
        spec != null
            && spec.artifactStreaming != null
            && Boolean.TRUE.equals(spec.artifactStreaming.enabled);
    int maxPods = spec == null || spec.maxPods == null ? DEFAULT_MAX_PODS : spec.maxPods;
    List<InstanceType> out = new ArrayList<>();
    for (Sku sku : skus().values()) {
      // Upstream: artifact streaming has no arm64 support, so arm64 sizes are left out with it.
      if (streaming && sku.arch().equals("arm64")) {
        continue;
      }
      OptionalDouble onDemand = prices.onDemand(sku.name());
      if (onDemand.isEmpty()) {
        continue; // a size we cannot price cannot be compared; upstream skips it too
      }
      out.add(
          toInstanceType(sku, onDemand.getAsDouble(), prices.spot(sku.name()).orElse(0), maxPods));
    }
    return out;
  }

  InstanceType toInstanceType(Sku sku, double onDemand, double spot, int maxPods) {
    List<Offering> offerings = new ArrayList<>();
    for (String zone : zoneLabels(sku)) {
      for (String ct :
          List.of(WellKnownLabels.CAPACITY_TYPE_SPOT, WellKnownLabels.CAPACITY_TYPE_ON_DEMAND)) {
        double price = ct.equals(WellKnownLabels.CAPACITY_TYPE_SPOT) ? spot : onDemand;
        boolean available = !unavailable.isUnavailable(new OfferingKey(sku.name(), zone, ct));
        offerings.add(new Offering(zone, ct, price, available));
      }
    }
    return new InstanceType(
        sku.name(),
        Requirements.of(requirements(sku)),
        offerings,
        capacity(sku, maxPods),
        AksOverhead.of(sku.vcpus(), sku.memoryMiB()));
  }

  /** Zone label values: {@code <location>-<zone>}, or {@code 0} for a regional-only size (AKS). */
  public List<String> zoneLabels(Sku sku) {
    if (sku.zones().isEmpty()) {
      return List.of("0");
    }
    return sku.zones().stream().sorted().map(z -> location + "-" + z).toList();
  }

  static Resources capacity(Sku sku, int maxPods) {
    Map<String, Long> r = new LinkedHashMap<>();
    r.put(Resources.CPU, sku.vcpus() * 1000L);
    r.put(Resources.MEMORY, sku.memoryMiB() << 20);
    r.put(Resources.PODS, (long) maxPods);
    if (sku.gpus() > 0 && SkuName.gpuManufacturer(sku.name()).equals("nvidia")) {
      r.put(AzureLabels.NVIDIA_GPU, (long) sku.gpus());
    }
    return Resources.of(r);
  }

  /** The labels every node of this size carries, as requirements. */
  public List<Requirement> requirements(Sku sku) {
    Map<String, String> labels = labels(sku);
    List<Requirement> rs = new ArrayList<>();
    labels.forEach((k, v) -> rs.add(Requirement.in(k, v)));
    if (sku.gpus() == 0) {
      rs.add(Requirement.doesNotExist(AzureLabels.SKU_GPU_NAME));
    }
    return rs;
  }

  /** Upstream's well-known labels of a size. */
  public Map<String, String> labels(Sku sku) {
    SkuName n = SkuName.parse(sku.name());
    Map<String, String> l = new LinkedHashMap<>();
    l.put(WellKnownLabels.INSTANCE_TYPE, sku.name());
    l.put(WellKnownLabels.ARCH, sku.arch());
    l.put(WellKnownLabels.OS, "linux");
    l.put(WellKnownLabels.REGION, location);
    l.put(AzureLabels.SKU_NAME, sku.name());
    l.put(AzureLabels.SKU_FAMILY, n.family());
    l.put(AzureLabels.SKU_SERIES, n.series());
    l.put(AzureLabels.SKU_VERSION, n.version());
    l.put(AzureLabels.SKU_CPU, String.valueOf(sku.vcpus()));
    l.put(AzureLabels.SKU_MEMORY, String.valueOf(sku.memoryMiB()));
    l.put(AzureLabels.AKS_SKU_CPU, String.valueOf(sku.vcpus()));
    l.put(AzureLabels.AKS_SKU_MEMORY, String.valueOf(sku.memoryMiB()));
    l.put(AzureLabels.SKU_ACCELERATED_NETWORKING, String.valueOf(sku.acceleratedNetworking()));
    l.put(AzureLabels.SKU_STORAGE_PREMIUM_CAPABLE, String.valueOf(sku.premiumIo()));
    if (sku.gpus() > 0) {
      l.put(AzureLabels.SKU_GPU_COUNT, String.valueOf(sku.gpus()));
      l.put(AzureLabels.SKU_GPU_MANUFACTURER, SkuName.gpuManufacturer(sku.name()));
      String gpu = SkuName.gpuName(sku.name());
      if (!gpu.isEmpty()) {
        l.put(AzureLabels.SKU_GPU_NAME, gpu);
      }
    }
    return l;
  }
}
