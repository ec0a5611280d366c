package dev.dovetail.controllers.disruption.model;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a consolidation replacement may cost, as upstream prices it: an instance type stays an
 * option only if its worst launch price is below the ceiling, because the cloud, not Dovetail,
 * picks the offering among those the replacement allows (EC2 Fleet's spot allocation strategy
 * weighs capacity too). Judging by the cheapest offering let a replacement launch dearer than the
 * node it replaced, and the next pass consolidate it again.
 */
final class ReplacementPrices {
  private ReplacementPrices() {}

  /** The capacity types in the order a launch uses them when allowed: upstream's precedence. */
  private static final List<String> LAUNCH_ORDER =
      List.of(
          WellKnownLabels.CAPACITY_TYPE_RESERVED,
          WellKnownLabels.CAPACITY_TYPE_SPOT,
          WellKnownLabels.CAPACITY_TYPE_ON_DEMAND);

  /**
   * The most the type can cost at launch under {@code requirements} (upstream's {@code
   * WorstLaunchPrice}): among its available offerings the requirements allow, those of the first
   * capacity type in reserved, spot, on-demand order that has any, the dearest; empty when none is
   * allowed.
   */
  static OptionalDouble worstLaunchPrice(InstanceType type, Requirements requirements) {
    for (String capacityType : LAUNCH_ORDER) {
      double worst = Double.NaN;
      for (Offering o : type.offerings()) {
        if (o.available()
            && o.capacityType().equals(capacityType)
            && o.compatibleWith(requirements)
            && (Double.isNaN(worst) || o.price() > worst)) {
          worst = o.price();
        }
      }
      if (!Double.isNaN(worst)) {
        return OptionalDouble.of(worst);
      }
    }
    return OptionalDouble.empty();
  }

  /**
   * Whether the requirements allow both spot and on-demand: the replacement is then priced as spot
   * (the launch order prefers it) and must be held to spot, or a spot shortage would launch the
   * dearer on-demand in its place (upstream adds the same requirement).
   */
  static boolean allowsSpotAndOnDemand(Requirements requirements) {
    return allows(requirements, WellKnownLabels.CAPACITY_TYPE_SPOT)
        && allows(requirements, WellKnownLabels.CAPACITY_TYPE_ON_DEMAND);
  }

  /** Whether the requirements allow the capacity type (no capacity-type requirement allows all). */
  static boolean allows(Requirements requirements, String capacityType) {
    Requirement ct = requirements.get(WellKnownLabels.CAPACITY_TYPE);
    return ct == null || ct.has(capacityType);
  }

  static Requirements spotOnly(Requirements requirements) {
    return requirements.and(
        Requirement.in(WellKnownLabels.CAPACITY_TYPE, WellKnownLabels.CAPACITY_TYPE_SPOT));
  }

  /**
   * The ceiling a multi-node replacement is held to beyond the candidates' total (upstream's {@code
   * filterOutSameInstanceType}): when a replacement option is the type of one of the candidates, it
   * must be cheaper than that candidate, or keeping that node and deleting the others moves fewer
   * pods for the same saving. Returns the lowest price of a candidate whose type is among the
   * options, or positive infinity.
   */
  static double sameTypeCeiling(List<Candidate> candidates, List<InstanceType> options) {
    Map<String, Double> cheapestByType = new HashMap<>();
    for (Candidate c : candidates) {
      if (c.instanceType() != null) {
        cheapestByType.merge(c.instanceType(), c.price(), Math::min);
      }
    }
    double ceiling = Double.POSITIVE_INFINITY;
    for (InstanceType it : options) {
      Double p = cheapestByType.get(it.name());
      if (p != null && p < ceiling) {
        ceiling = p;
      }
    }
    return ceiling;
  }

  /**
   * How many of the types, in their order, it takes to meet every {@code minValues} of the
   * requirements (upstream's {@code SatisfiesMinValues}): 0 when there are none, -1 when all of
   * them together do not. Narrowing a replacement to the cheaper types can break a NodePool's
   * flexibility floor, which upstream treats as no replacement.
   */
  static int minValuesPrefix(Requirements requirements, List<InstanceType> types) {
    List<Requirement> floors =
        requirements.all().stream().filter(r -> r.minValues() != null).toList();
    if (floors.isEmpty()) {
      return 0;
    }
    Map<String, java.util.Set<String>> seen = new HashMap<>();
    for (int i = 0; i < types.size(); i++) {
      boolean met = true;
      for (Requirement floor : floors) {
        java.util.Set<String> values =
            seen.computeIfAbsent(floor.key(), k -> new java.util.HashSet<>());
        Requirement own = types.get(i).requirements().get(floor.key());
        if (own != null) {
          values.addAll(own.values());
        }
        met &= values.size() >= floor.minValues();
      }
      if (met) {
        return i + 1;
      }
    }
    return -1;
  }
}
