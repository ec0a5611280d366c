package dev.dovetail.chaos;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.testkit.FaultInjectingCloudProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One cloud that outlives the operators started on it, with the kit's fault decorator around the
 * provider (so every plugin gets the same cloud faults, interruptions included): an operator's
 * {@code close} (or kill) leaves it running; {@link #shutdown} ends it with the run.
 *
 * <p>For a provider that cannot be told to fail offerings itself (any but the simulated cloud,
 * whose {@code iceOfferings} setting does it), {@link #standingCapacityErrors} makes a seeded share
 * of offerings have no capacity for the whole run: a create whose cheapest compatible offering is
 * one of them fails with {@link InsufficientCapacityException} naming every such offering the claim
 * could use, before the provider is called, as a cloud answers a launch it cannot place.
 */
final class ChaosCloud extends FaultInjectingCloudProvider {
  private final long seed;
  private final AtomicLong capacityErrors = new AtomicLong();
  private final java.util.Set<OfferingKey> reported =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile double noCapacityShare;

  ChaosCloud(CloudProvider cloud, long seed) {
    super(cloud, seed);
    this.seed = seed;
  }

  /**
   * A share (0 to 1) of offerings, chosen by the seed and the offering alone, has no capacity for
   * the whole run: the same offerings in a run and in its fault-free reference run. A claim none of
   * whose offerings has capacity is let through (capacity is somewhere), so that the standing
   * condition never makes a workload unschedulable.
   */
  ChaosCloud standingCapacityErrors(double share) {
    this.noCapacityShare = share;
    return this;
  }

  /** How many creates failed for lack of capacity. */
  long capacityErrors() {
    return capacityErrors.get();
  }

  @Override
  public Instance create(NodeClaimView nodeClaim) {
    if (noCapacityShare > 0) {
      failIfNoCapacity(nodeClaim);
    }
    return super.create(nodeClaim);
  }

  private void failIfNoCapacity(NodeClaimView claim) {
    // a retried create of a claim already launched returns its instance, whatever the capacity
    if (listQuietly().stream().anyMatch(i -> claim.name().equals(i.nodeClaim()))) {
      return;
    }
    List<Candidate> offerings = new ArrayList<>();
    List<String> options = claim.instanceTypeOptions();
    NodePoolInfo pool =
        new NodePoolInfo(
            claim.nodePool(), claim.requirements(), claim.labels(), claim.nodeClassRef());
    for (InstanceType it : instanceTypes(pool, claim.nodeClass())) {
      if (!options.isEmpty() && !options.contains(it.name())) {
        continue;
      }
      for (Offering o : it.availableOfferings()) {
        if (o.compatibleWith(claim.requirements())) {
          offerings.add(new Candidate(o.key(it.name()), o.price()));
        }
      }
    }
    offerings.sort(Comparator.comparingDouble(Candidate::price));
    // Only offerings not reported yet: the decorator cannot make the provider pick another
    // offering of the same type (a cloud with no capacity in one zone places the launch in the
    // next), so an offering keeps refusing only until the core has been told once; a claim that
    // still allows it afterwards may land there. Without this, claims whose cheapest offering is
    // one of them would be refused forever and their pods would stay pending.
    List<OfferingKey> full =
        offerings.stream()
            .map(Candidate::key)
            .filter(k -> noCapacity(k) && !reported.contains(k))
            .toList();
    if (offerings.isEmpty()
        || !full.contains(offerings.get(0).key())
        || full.size() == offerings.size()) {
      return;
    }
    reported.addAll(full);
    capacityErrors.incrementAndGet();
    throw new InsufficientCapacityException(
        "chaos: no capacity for NodeClaim " + claim.name() + " in " + full, full);
  }

  /** Whether the offering is one of the standing no-capacity share. */
  boolean noCapacity(OfferingKey key) {
    return noCapacityShare > 0
        && new Random(seed * 31 + key.toString().hashCode()).nextDouble() < noCapacityShare;
  }

  private record Candidate(OfferingKey key, double price) {}

  @Override
  public void close() {
    // an operator's close (or kill) leaves the cloud running; shutdown() ends it
  }

  /** Stops the decorator's timer and the real provider at the end of the run. */
  void shutdown() {
    super.close();
  }
}
