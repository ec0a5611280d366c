package dev.dovetail.cloudprovider;

import java.util.Objects;

/**
 * One way to buy an instance type: a zone and capacity type, at a price, available or not.
 *
 * @param zone the zone (value of {@code topology.kubernetes.io/zone})
 * @param capacityType {@code on-demand}, {@code spot} or {@code reserved}
 * @param price price per hour in the provider's currency
 * @param available false while the cloud has no capacity (e.g. after an ICE error)
 * @param reservationId the capacity reservation, for {@code reserved} offerings, else null
 * @param reservationCapacity instances still free in the reservation (0 when not reserved)
 */
public record Offering(
    String zone,
    String capacityType,
    double price,
    boolean available,
    String reservationId,
    int reservationCapacity) {

  public Offering {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(capacityType, "capacityType");
  }

  public Offering(String zone, String capacityType, double price, boolean available) {
    this(zone, capacityType, price, available, null, 0);
  }

  public Offering withAvailable(boolean isAvailable) {
    return new Offering(zone, capacityType, price, isAvailable, reservationId, reservationCapacity);
  }

  /** Whether this offering's zone and capacity type satisfy the requirements. */
  public boolean compatibleWith(Requirements requirements) {
    Requirement z = requirements.get(WellKnownLabels.ZONE);
    if (z != null && !z.has(zone)) {
      return false;
    }
    Requirement ct = requirements.get(WellKnownLabels.CAPACITY_TYPE);
    if (ct != null && !ct.has(capacityType)) {
      return false;
    }
    Requirement rid = requirements.get(WellKnownLabels.CAPACITY_RESERVATION_ID);
    return rid == null || reservationId == null || rid.has(reservationId);
  }

  public OfferingKey key(String instanceType) {
    return new OfferingKey(instanceType, zone, capacityType);
  }
}
