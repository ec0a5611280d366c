package dev.dovetail.aws.instancetype;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.cache.TtlCache;
import dev.dovetail.aws.nodeclass.AmiProvider;
import dev.dovetail.aws.nodeclass.EC2NodeClassValidation;
import dev.dovetail.aws.nodeclass.KubeletSettings;
import dev.dovetail.aws.pricing.PricingProvider;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypeOfferingsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesRequest;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.InstanceTypeOffering;
import software.amazon.awssdk.services.ec2.model.LocationType;

/**
 * The instance types of the region ({@code DescribeInstanceTypes}) and the zones offering each
 * ({@code DescribeInstanceTypeOfferings}), both cached for five minutes, mapped per NodeClass.
 * Types no resolved AMI can boot (e.g. arm64 with an amd64-only custom AMI) are left out.
 */
public final class InstanceTypeProvider {
  private static final Duration TTL = Duration.ofMinutes(5);

  private final Ec2Client ec2;
  private final PricingProvider pricing;
  private final UnavailableOfferings unavailable;
  private final String region;
  private final double vmMemoryOverheadPercent;
  private final int reservedEnis;
  private final TtlCache<String, List<InstanceTypeInfo>> infos;
  private final TtlCache<String, Map<String, Set<String>>> zones;

  public InstanceTypeProvider(
      Ec2Client ec2,
      PricingProvider pricing,
      UnavailableOfferings unavailable,
      String region,
      double vmMemoryOverheadPercent,
      int reservedEnis,
      Clock clock) {
    this.ec2 = ec2;
    this.pricing = pricing;
    this.unavailable = unavailable;
    this.region = region;
    this.vmMemoryOverheadPercent = vmMemoryOverheadPercent;
    this.reservedEnis = reservedEnis;
    this.infos = new TtlCache<>(clock, TTL);
    this.zones = new TtlCache<>(clock, TTL);
  }

  public List<InstanceTypeInfo> infos() {
    return infos.computeIfAbsent(
        "all",
        k -> {
          List<InstanceTypeInfo> out = new ArrayList<>();
          ec2.describeInstanceTypesPaginator(
                  DescribeInstanceTypesRequest.builder()
                      .filters(
                          f -> f.name("supported-virtualization-type").values("hvm"),
                          f ->
                              f.name("processor-info.supported-architecture")
                                  .values("x86_64", "arm64"))
                      .build())
              .instanceTypes()
              .forEach(out::add);
          return List.copyOf(out);
        });
  }

  public Map<String, Set<String>> zonesByType() {
    return zones.computeIfAbsent(
        "all",
        k -> {
          Map<String, Set<String>> out = new HashMap<>();
          for (InstanceTypeOffering o :
              ec2.describeInstanceTypeOfferingsPaginator(
                      DescribeInstanceTypeOfferingsRequest.builder()
                          .locationType(LocationType.AVAILABILITY_ZONE)
                          .build())
                  .instanceTypeOfferings()) {
            out.computeIfAbsent(o.instanceTypeAsString(), t -> new HashSet<>()).add(o.location());
          }
          return Map.copyOf(out);
        });
  }

  public Map<String, InstanceTypeInfo> infosByName() {
    Map<String, InstanceTypeInfo> out = new LinkedHashMap<>();
    infos().forEach(i -> out.put(i.instanceTypeAsString(), i));
    return out;
  }

  /** The instance types this NodeClass (with resolved status) can launch. */
  public List<InstanceType> list(EC2NodeClass nodeClass) {
    EC2NodeClassStatus status = nodeClass.getStatus();
    Map<String, String> zoneIds = new LinkedHashMap<>();
    if (status != null && status.subnets != null) {
      status.subnets.forEach(s -> zoneIds.putIfAbsent(s.zone, s.zoneID));
    }
    InstanceTypeMapper.Context ctx =
        new InstanceTypeMapper.Context(
            region,
            EC2NodeClassValidation.effectiveFamily(nodeClass.getSpec()),
            nodeClass.getSpec(),
            KubeletSettings.from(nodeClass.getSpec().kubelet),
            zoneIds,
            status == null || status.capacityReservations == null
                ? List.of()
                : status.capacityReservations,
            pricing,
            unavailable,
            vmMemoryOverheadPercent,
            reservedEnis);
    List<Requirements> amiRequirements =
        status == null || status.amis == null
            ? List.of()
            : status.amis.stream().map(AmiProvider::requirementsOf).toList();
    Map<String, Set<String>> offered = zonesByType();
    var cpu = nodeClass.getSpec().cpuOptions;
    boolean nested = cpu != null && "enabled".equals(cpu.nestedVirtualization);
    List<InstanceType> out = new ArrayList<>();
    for (InstanceTypeInfo info : infos()) {
      if (nested
          && (info.processorInfo() == null
              || !info.processorInfo()
                  .supportedFeaturesAsStrings()
                  .contains("nested-virtualization"))) {
        continue; // upstream: nested virtualization only on types that report it
      }
      InstanceType it =
          InstanceTypeMapper.map(
              info, offered.getOrDefault(info.instanceTypeAsString(), Set.of()), ctx);
      if (!amiRequirements.isEmpty()
          && amiRequirements.stream().noneMatch(a -> it.requirements().isCompatible(a, Set.of()))) {
        continue;
      }
      out.add(it);
    }
    return out;
  }
}
