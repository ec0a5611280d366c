package dev.dovetail.cloudprovider;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A machine shape a provider can launch.
 *
 * @param name instance type name, e.g. {@code m7g.large}
 * @param requirements labels the node would carry as requirements (arch, os, family, size, ...);
 *     zone and capacity type come from the offerings
 * @param offerings where and how it can be bought: zone x capacity type x price x availability
 * @param capacity the node's capacity
 * @param overhead kube-reserved, system-reserved and eviction threshold
 */
public record InstanceType(
    String name,
    Requirements requirements,
    List<Offering> offerings,
    Resources capacity,
    Overhead overhead) {

  public InstanceType {
    Objects.requireNonNull(name, "name");
    requirements = requirements == null ? Requirements.none() : requirements;
    offerings = List.copyOf(offerings);
    capacity = capacity == null ? Resources.EMPTY : capacity;
    overhead = overhead == null ? Overhead.NONE : overhead;
  }

  /** Capacity minus overhead: what pods can use. */
  public Resources allocatable() {
    return capacity.subtract(overhead.total()).clampNonNegative();
  }

  public List<Offering> availableOfferings() {
    return offerings.stream().filter(Offering::available).toList();
  }

  /** The cheapest available offering compatible with the requirements, if any. */
  public Optional<Offering> cheapestOffering(Requirements constraints) {
    Offering best = null;
    for (Offering o : offerings) {
      if (o.available()
          && o.compatibleWith(constraints)
          && (best == null || o.price() < best.price())) {
        best = o;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * What a node of this type costs per hour in a zone and capacity type: the cheapest offering
   * there, whether or not it is available now (a running node's price does not change when its
   * offering runs out). A null zone means any zone.
   *
   * @return empty when the type has no offering in that zone and capacity type
   */
  public OptionalDouble price(String zone, String capacityType) {
    double best = Double.NaN;
    for (Offering o : offerings) {
      if (o.capacityType().equals(capacityType)
          && (zone == null || o.zone().equals(zone))
          && (Double.isNaN(best) || o.price() < best)) {
        best = o.price();
      }
    }
    return Double.isNaN(best) ? OptionalDouble.empty() : OptionalDouble.of(best);
  }

  /**
   * Overhead the node reserves for the system.
   *
   * @param kubeReserved kubelet's kube-reserved
   * @param systemReserved kubelet's system-reserved
   * @param evictionThreshold kubelet's hard eviction thresholds
   */
  public record Overhead(
      Resources kubeReserved, Resources systemReserved, Resources evictionThreshold) {
    public static final Overhead NONE =
        new Overhead(Resources.EMPTY, Resources.EMPTY, Resources.EMPTY);

    public Overhead {
      kubeReserved = kubeReserved == null ? Resources.EMPTY : kubeReserved;
      systemReserved = systemReserved == null ? Resources.EMPTY : systemReserved;
      evictionThreshold = evictionThreshold == null ? Resources.EMPTY : evictionThreshold;
    }

    public Resources total() {
      return kubeReserved.add(systemReserved).add(evictionThreshold);
    }
  }
}
