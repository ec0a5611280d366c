package dev.dovetail.plugins.simulated;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link Catalog} into the {@link InstanceType}s the simulated cloud sells: every entry in
 * every zone of the catalog, on-demand at its list price and spot at {@link SpotPricing}'s price.
 * All offerings are built available; faults are applied on top by {@link SimulatedCloud}.
 */
public final class CatalogInstanceTypes {
  public static final String OS_LINUX = "linux";

  private CatalogInstanceTypes() {}

  public static List<InstanceType> build(
      Catalog catalog, Integer maxPods, double vmMemoryOverheadPercent) {
    List<InstanceType> out = new ArrayList<>(catalog.instanceTypes().size());
    for (CatalogEntry e : catalog.instanceTypes()) {
      if (e.vcpu() <= 0 || e.memoryMiB() <= 0 || e.onDemandPerHour() <= 0) {
        continue; // a shape nobody can buy or price is not offered
      }
      InstanceType it = build(catalog, e, maxPods, vmMemoryOverheadPercent);
      if (it.allocatable().get(Resources.CPU) <= 0 || it.allocatable().get(Resources.MEMORY) <= 0) {
        continue; // the system would keep all of it (e.g. a huge maxPods on a tiny shape)
      }
      out.add(it);
    }
    return List.copyOf(out);
  }

  static InstanceType build(
      Catalog catalog, CatalogEntry e, Integer maxPods, double vmMemoryOverheadPercent) {
    List<Requirement> reqs = new ArrayList<>();
    reqs.add(Requirement.in(WellKnownLabels.INSTANCE_TYPE, e.name()));
    reqs.add(Requirement.in(WellKnownLabels.ARCH, e.arch()));
    reqs.add(Requirement.in(WellKnownLabels.OS, OS_LINUX));
    reqs.add(Requirement.in(WellKnownLabels.REGION, catalog.region()));
    // Zone and capacity type are also given as requirements (all values the offerings have), as
    // upstream does, so a compatibility check on the type alone does not reject zonal pods.
    reqs.add(Requirement.in(WellKnownLabels.ZONE, catalog.zones()));
    reqs.add(
        Requirement.in(
            WellKnownLabels.CAPACITY_TYPE,
            WellKnownLabels.CAPACITY_TYPE_ON_DEMAND,
            WellKnownLabels.CAPACITY_TYPE_SPOT));
    Map<String, String> labels = InstanceTypeLabels.of(catalog.provider(), e);
    for (Map.Entry<String, String> l : labels.entrySet()) {
      reqs.add(Requirement.in(l.getKey(), l.getValue()));
    }
    List<Offering> offerings = new ArrayList<>(catalog.zones().size() * 2);
    for (String zone : catalog.zones()) {
      offerings.add(
          new Offering(zone, WellKnownLabels.CAPACITY_TYPE_ON_DEMAND, e.onDemandPerHour(), true));
      offerings.add(
          new Offering(
              zone, WellKnownLabels.CAPACITY_TYPE_SPOT, SpotPricing.spotPrice(e, zone), true));
    }
    Resources capacity =
        NodeShape.capacity(catalog.provider(), e, maxPods, vmMemoryOverheadPercent);
    return new InstanceType(
        e.name(), Requirements.of(reqs), offerings, capacity, NodeShape.overhead(capacity));
  }
}
