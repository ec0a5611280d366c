package dev.dovetail.aws.launch;

import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.instancetype.AwsLabels;
import dev.dovetail.aws.nodeclass.AmiProvider;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which offerings a NodeClaim may launch into (upstream's instance-type filtering before
 * CreateFleet): the claim's compatible instance types, the capacity type to try first and the next
 * one after a shortage (reserved, spot, on-demand), and the cheapest 60 type × zone options for one
 * capacity type. Pure functions of the claim and the instance types.
 */
public final class CapacityChoices {
  private CapacityChoices() {}

  /** Upstream's cap on the instance types sent to one CreateFleet. */
  public static final int MAX_INSTANCE_TYPES = 60;

  private static final Set<String> INSTANCE_TYPE_KEYS =
      Set.of(
          WellKnownLabels.INSTANCE_TYPE,
          WellKnownLabels.ARCH,
          WellKnownLabels.OS,
          WellKnownLabels.ZONE,
          WellKnownLabels.REGION,
          WellKnownLabels.CAPACITY_TYPE,
          WellKnownLabels.WINDOWS_BUILD,
          WellKnownLabels.CAPACITY_RESERVATION_ID,
          AwsLabels.ZONE_ID);

  private static final List<String> CAPACITY_TYPE_ORDER =
      List.of(
          WellKnownLabels.CAPACITY_TYPE_RESERVED,
          WellKnownLabels.CAPACITY_TYPE_SPOT,
          WellKnownLabels.CAPACITY_TYPE_ON_DEMAND);

  /** The next capacity type after {@code current} that the claim allows and is offered. */
  public static String nextCapacityType(
      NodeClaimView claim, List<InstanceType> types, String current) {
    for (int i = CAPACITY_TYPE_ORDER.indexOf(current) + 1; i < CAPACITY_TYPE_ORDER.size(); i++) {
      String ct = CAPACITY_TYPE_ORDER.get(i);
      if (allows(claim, ct) && hasOffering(claim, types, ct)) {
        return ct;
      }
    }
    return null;
  }

  public static List<String> reservationIds(List<InstanceType> types, OfferingKey key) {
    List<String> out = new ArrayList<>();
    for (InstanceType t : types) {
      if (t.name().equals(key.instanceType())) {
        for (Offering o : t.offerings()) {
          if (o.reservationId() != null && o.zone().equals(key.zone())) {
            out.add(o.reservationId());
          }
        }
      }
    }
    return out;
  }

  /** {@code capacity-block} or {@code default}, from the NodeClass's resolved reservations. */
  public static String reservationType(EC2NodeClassStatus status, String reservationId) {
    if (status.capacityReservations == null) {
      return "default";
    }
    return status.capacityReservations.stream()
        .filter(cr -> reservationId.equals(cr.id))
        .map(cr -> cr.reservationType)
        .findFirst()
        .orElse("default");
  }

  /** One instance type with the offering it would be bought through. */
  public record Choice(InstanceType type, Offering offering) {}

  /** The claim's instance types that fit its requirements, keeping the core's order. */
  public static List<InstanceType> compatibleTypes(NodeClaimView claim, List<InstanceType> all) {
    Requirements reqs = claim.requirements();
    Set<String> allowUndefined = new HashSet<>();
    for (String k : reqs.keys()) {
      if (!INSTANCE_TYPE_KEYS.contains(k) && !k.startsWith(AwsLabels.PREFIX + "instance-")) {
        allowUndefined.add(k);
      }
    }
    List<String> options = claim.instanceTypeOptions();
    Map<String, InstanceType> byName = new LinkedHashMap<>();
    for (InstanceType t : all) {
      byName.put(t.name(), t);
    }
    List<InstanceType> ordered = new ArrayList<>();
    if (!options.isEmpty()) {
      for (String o : options) {
        InstanceType t = byName.get(o);
        if (t != null) {
          ordered.add(t);
        }
      }
    } else {
      ordered.addAll(all);
    }
    List<InstanceType> out = new ArrayList<>();
    for (InstanceType t : ordered) {
      if (!t.requirements()
          .isCompatible(
              reqs.without(WellKnownLabels.CAPACITY_TYPE).without(WellKnownLabels.ZONE),
              allowUndefined)) {
        continue;
      }
      if (!Resources.EMPTY.equals(claim.requests()) && !claim.requests().fitsIn(t.allocatable())) {
        continue;
      }
      if (t.offerings().stream().anyMatch(o -> o.available() && o.compatibleWith(reqs))) {
        out.add(t);
      }
    }
    return out;
  }

  private static boolean allows(NodeClaimView claim, String capacityType) {
    Requirement r = claim.requirements().get(WellKnownLabels.CAPACITY_TYPE);
    return r == null || r.has(capacityType);
  }

  private static boolean hasOffering(
      NodeClaimView claim, List<InstanceType> types, String capacityType) {
    for (InstanceType t : types) {
      for (Offering o : t.offerings()) {
        if (o.available()
            && capacityType.equals(o.capacityType())
            && o.compatibleWith(claim.requirements())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Reserved if any reserved offering fits, else spot if allowed and offered, else on-demand. */
  public static String capacityType(NodeClaimView claim, List<InstanceType> types) {
    for (String ct :
        List.of(
            WellKnownLabels.CAPACITY_TYPE_RESERVED,
            WellKnownLabels.CAPACITY_TYPE_SPOT,
            WellKnownLabels.CAPACITY_TYPE_ON_DEMAND)) {
      if (allows(claim, ct) && hasOffering(claim, types, ct)) {
        return ct;
      }
    }
    return WellKnownLabels.CAPACITY_TYPE_ON_DEMAND;
  }

  /** Instance type × zone options for the capacity type, cheapest first, at most 60 types. */
  public static List<Choice> choices(
      NodeClaimView claim, List<InstanceType> types, String capacityType) {
    List<Choice> all = new ArrayList<>();
    for (InstanceType t : types) {
      for (Offering o : t.offerings()) {
        if (o.available()
            && capacityType.equals(o.capacityType())
            && o.compatibleWith(claim.requirements())) {
          all.add(new Choice(t, o));
        }
      }
    }
    all.sort(
        Comparator.comparingDouble((Choice c) -> c.offering().price())
            .thenComparing(c -> c.type().name()));
    Set<String> keptTypes = new java.util.LinkedHashSet<>();
    List<Choice> out = new ArrayList<>();
    for (Choice c : all) {
      if (keptTypes.contains(c.type().name()) || keptTypes.size() < MAX_INSTANCE_TYPES) {
        keptTypes.add(c.type().name());
        out.add(c);
      }
    }
    return out;
  }

  /** The newest resolved AMI whose requirements the instance type meets. */
  public static Optional<String> amiFor(EC2NodeClassStatus status, InstanceType type) {
    for (EC2NodeClassStatus.Ami ami : status.amis) {
      if (type.requirements().isCompatible(AmiProvider.requirementsOf(ami), Set.of())) {
        return Optional.of(ami.id);
      }
    }
    return Optional.empty();
  }
}
