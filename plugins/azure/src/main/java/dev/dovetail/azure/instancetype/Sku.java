package dev.dovetail.azure.instancetype;

import com.azure.resourcemanager.compute.fluent.models.ResourceSkuInner;
import com.azure.resourcemanager.compute.models.ResourceSkuCapabilities;
import com.azure.resourcemanager.compute.models.ResourceSkuLocationInfo;
import com.azure.resourcemanager.compute.models.ResourceSkuRestrictions;
import com.azure.resourcemanager.compute.models.ResourceSkuRestrictionsReasonCode;
import com.azure.resourcemanager.compute.models.ResourceSkuRestrictionsType;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One VM size as the Resource SKUs API reports it in a location, reduced to what scheduling needs.
 *
 * @param name e.g. {@code Standard_D4s_v5}
 * @param vcpus {@code vCPUs} capability
 * @param memoryMiB {@code MemoryGB} capability in MiB
 * @param gpus {@code GPUs} capability (0 when absent)
 * @param arch {@code amd64} or {@code arm64} (from {@code CpuArchitectureType})
 * @param zones zones offered to this subscription (Zone restrictions removed), e.g. {@code 1}
 * @param acceleratedNetworking {@code AcceleratedNetworkingEnabled}
 * @param premiumIo {@code PremiumIO}
 */
public record Sku(
    String name,
    int vcpus,
    long memoryMiB,
    int gpus,
    String arch,
    List<String> zones,
    boolean acceleratedNetworking,
    boolean premiumIo) {

  public Sku {
    zones = List.copyOf(zones);
  }

  /**
   * Reads a Resource SKUs entry; empty when it is not a VM size usable in {@code location} (another
   * resource type, another location, restricted with NotAvailableForSubscription, or missing the
   * vCPUs/MemoryGB capabilities).
   */
  public static Optional<Sku> from(ResourceSkuInner raw, String location) {
    if (!"virtualMachines".equalsIgnoreCase(raw.resourceType()) || raw.name() == null) {
      return Optional.empty();
    }
    ResourceSkuLocationInfo info = null;
    if (raw.locationInfo() != null) {
      for (ResourceSkuLocationInfo li : raw.locationInfo()) {
        if (location.equalsIgnoreCase(li.location())) {
          info = li;
        }
      }
    }
    if (info == null) {
      return Optional.empty();
    }
    Set<String> zones = new LinkedHashSet<>(info.zones() == null ? List.of() : info.zones());
    if (raw.restrictions() != null) {
      for (ResourceSkuRestrictions r : raw.restrictions()) {
        boolean notForUs =
            ResourceSkuRestrictionsReasonCode.NOT_AVAILABLE_FOR_SUBSCRIPTION.equals(r.reasonCode());
        if (ResourceSkuRestrictionsType.LOCATION.equals(r.type()) && notForUs) {
          return Optional.empty();
        }
        if (ResourceSkuRestrictionsType.ZONE.equals(r.type()) && r.restrictionInfo() != null) {
          zones.removeAll(
              r.restrictionInfo().zones() == null ? List.of() : r.restrictionInfo().zones());
        }
      }
    }
    Map<String, String> caps = new HashMap<>();
    if (raw.capabilities() != null) {
      for (ResourceSkuCapabilities c : raw.capabilities()) {
        caps.put(c.name(), c.value());
      }
    }
    Integer vcpus = parseInt(caps.get("vCPUs"));
    Double memGb = parseDouble(caps.get("MemoryGB"));
    if (vcpus == null || memGb == null || vcpus <= 0 || memGb <= 0) {
      return Optional.empty();
    }
    Integer gpus = parseInt(caps.get("GPUs"));
    String cpuArch = caps.getOrDefault("CpuArchitectureType", "x64").toLowerCase(Locale.ROOT);
    return Optional.of(
        new Sku(
            raw.name(),
            vcpus,
            Math.round(memGb * 1024),
            gpus == null ? 0 : gpus,
            cpuArch.equals("arm64") ? "arm64" : "amd64",
            List.copyOf(zones),
            "True".equalsIgnoreCase(caps.get("AcceleratedNetworkingEnabled")),
            "True".equalsIgnoreCase(caps.get("PremiumIO"))));
  }

  private static Integer parseInt(String v) {
    try {
      return v == null ? null : (int) Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Double parseDouble(String v) {
    try {
      return v == null ? null : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
