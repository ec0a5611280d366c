package dev.dovetail.plugins.simulated;

import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The simulated cloud's capacity: which offerings fail with insufficient capacity (faults injected
 * by settings or tests), which failed recently (remembered like AWS's unavailable-offerings cache,
 * and shown as unavailable in the instance types), and the offering a launch takes. Concurrent
 * collections only: tests inject faults while launches run.
 */
final class SimulatedCapacity {
  private final List<OfferingPattern> faults = new CopyOnWriteArrayList<>();
  private final Map<OfferingKey, Instant> unavailableUntil = new ConcurrentHashMap<>();

  /** An offering a claim may launch on; {@code order} keeps the catalog's order among equals. */
  record Candidate(InstanceType type, Offering offering, int order) {
    OfferingKey key() {
      return offering.key(type.name());
    }
  }

  /** Launches on offerings matching these fail with insufficient capacity until restored. */
  void fail(Collection<OfferingPattern> patterns) {
    faults.addAll(patterns);
  }

  /** Gives the offerings capacity again and forgets that they failed recently. */
  void restore(OfferingKey key) {
    faults.removeIf(p -> p.equals(OfferingPattern.of(key)));
    unavailableUntil.remove(key);
  }

  /** Removes every fault and the memory of recent failures. */
  void clear() {
    faults.clear();
    unavailableUntil.clear();
  }

  boolean isFaulted(OfferingKey key) {
    for (OfferingPattern p : faults) {
      if (p.matches(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The instance types with the offerings that failed recently marked unavailable, as AWS's
   * provider reports them; {@code all} itself while none did (the common case, no copy).
   */
  List<InstanceType> withAvailability(List<InstanceType> all, Instant now) {
    unavailableUntil.values().removeIf(until -> !until.isAfter(now));
    if (unavailableUntil.isEmpty()) {
      return all;
    }
    Map<String, List<OfferingKey>> byType = new HashMap<>();
    unavailableUntil
        .keySet()
        .forEach(k -> byType.computeIfAbsent(k.instanceType(), t -> new ArrayList<>()).add(k));
    List<InstanceType> out = new ArrayList<>(all.size());
    for (InstanceType it : all) {
      List<OfferingKey> down = byType.get(it.name());
      out.add(down == null ? it : withUnavailable(it, down));
    }
    return out;
  }

  private static InstanceType withUnavailable(InstanceType it, List<OfferingKey> down) {
    List<Offering> offerings = new ArrayList<>(it.offerings().size());
    for (Offering o : it.offerings()) {
      offerings.add(down.contains(o.key(it.name())) ? o.withAvailable(false) : o);
    }
    return new InstanceType(it.name(), it.requirements(), offerings, it.capacity(), it.overhead());
  }

  /**
   * Picks the offering to launch, AWS-like: spot when the claim allows it, cheapest first. An
   * offering that is faulted is remembered as unavailable for {@code unavailableTtl}, and the next
   * cheapest is tried.
   *
   * @param types the instance types the claim may take
   * @param labelPrefix the catalog's own label prefix (see {@link #compatible})
   * @param catalog the catalog's name, for the error
   * @throws CreateException when no type fits the claim's requirements and requests
   * @throws InsufficientCapacityException when every fitting offering is out of capacity
   */
  Candidate choose(
      NodeClaimView claim,
      Collection<InstanceType> types,
      String labelPrefix,
      String catalog,
      Instant now,
      Duration unavailableTtl) {
    Requirements reqs = claim.requirements();
    List<Candidate> compatible = new ArrayList<>();
    int order = 0;
    for (InstanceType it : types) {
      if (compatible(it, reqs, labelPrefix) && claim.requests().fitsIn(it.allocatable())) {
        for (Offering o : it.offerings()) {
          if (o.compatibleWith(reqs)) {
            compatible.add(new Candidate(it, o, order++));
          }
        }
      }
    }
    if (compatible.isEmpty()) {
      List<String> options = claim.instanceTypeOptions();
      throw new CreateException(
          "NoCompatibleInstanceTypes",
          "no instance type of the "
              + catalog
              + " catalog among "
              + (options.isEmpty() ? "all types" : options)
              + " satisfies the requirements and requests of NodeClaim "
              + claim.name());
    }
    List<Candidate> launchable =
        compatible.stream().filter(c -> !recentlyUnavailable(c.key(), now)).toList();
    if (launchable.isEmpty()) {
      List<OfferingKey> keys = compatible.stream().map(Candidate::key).toList();
      throw new InsufficientCapacityException(
          "all offerings for NodeClaim " + claim.name() + " are unavailable: " + keys, keys);
    }
    boolean spot =
        launchable.stream()
            .anyMatch(c -> WellKnownLabels.CAPACITY_TYPE_SPOT.equals(c.offering.capacityType()));
    String capacityType =
        spot ? WellKnownLabels.CAPACITY_TYPE_SPOT : WellKnownLabels.CAPACITY_TYPE_ON_DEMAND;
    List<Candidate> tries =
        launchable.stream()
            .filter(c -> capacityType.equals(c.offering.capacityType()))
            .sorted(
                Comparator.comparingDouble((Candidate c) -> c.offering.price())
                    .thenComparingInt(Candidate::order))
            .toList();
    List<OfferingKey> failed = new ArrayList<>();
    for (Candidate c : tries) {
      if (!isFaulted(c.key())) {
        return c;
      }
      failed.add(c.key());
      // Remember the failure like AWS's unavailable-offerings cache does.
      unavailableUntil.put(c.key(), now.plus(unavailableTtl));
    }
    throw new InsufficientCapacityException(
        "insufficient " + capacityType + " capacity for NodeClaim " + claim.name() + ": " + failed,
        failed);
  }

  private boolean recentlyUnavailable(OfferingKey key, Instant now) {
    Instant until = unavailableUntil.get(key);
    return until != null && until.isAfter(now);
  }

  /**
   * Whether a node of the type can satisfy the claim's requirements. On a key the type defines, the
   * two must intersect (two negative requirements, NotIn/DoesNotExist, always agree, as in
   * Karpenter's {@code Intersects}). A key under the cloud's own label prefix that the type does
   * not define is an absent label: only NotIn and DoesNotExist accept it. Any other key (NodePool
   * and custom labels) does not restrict the shape.
   */
  static boolean compatible(InstanceType type, Requirements claim, String providerPrefix) {
    for (Requirement theirs : claim.all()) {
      Requirement mine = type.requirements().get(theirs.key());
      if (mine != null) {
        if (!mine.intersects(theirs) && !(negative(mine) && negative(theirs))) {
          return false;
        }
      } else if (providerPrefix != null
          && theirs.key().startsWith(providerPrefix)
          && !negative(theirs)) {
        return false;
      }
    }
    return true;
  }

  private static boolean negative(Requirement r) {
    Operator op = r.operator();
    return op == Operator.NotIn || op == Operator.DoesNotExist;
  }
}
