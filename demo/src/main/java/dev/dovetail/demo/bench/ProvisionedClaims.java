package dev.dovetail.demo.bench;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.controllers.provisioning.Provisioner.ProvisioningListener;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.SchedulingResult;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The NodeClaims the provisioner created, apart from consolidation's replacements (also NodeClaims,
 * created by the disruption controller): how many, and when the last one was. Watching the
 * NodeClaim count alone read a replacement made while pods were still binding as provisioning. Also
 * how long each provisioning pass took from its batch window closing to its last NodeClaim created.
 * Forwards every call to the operator's own listener (its metrics).
 */
final class ProvisionedClaims implements ProvisioningListener {
  private final ProvisioningListener next;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);

  /** How long each pass that created NodeClaims took, from its batch closing to its last create. */
  private final java.util.List<Long> passNanos = new java.util.ArrayList<>();

  ProvisionedClaims(ProvisioningListener next) {
    this.next = next;
  }

  @Override
  public void solved(SchedulingResult result, int pods, long nanos) {
    next.solved(result, pods, nanos);
  }

  @Override
  public void nodeClaimCreated(NodeClaim claim, NewNodeClaim plan) {
    count.incrementAndGet();
    lastNanos.set(System.nanoTime());
    next.nodeClaimCreated(claim, plan);
  }

  @Override
  public void passed(int pods, int nodeClaimsCreated, long nanos) {
    if (nodeClaimsCreated > 0) {
      synchronized (passNanos) {
        passNanos.add(nanos);
      }
    }
    next.passed(pods, nodeClaimsCreated, nanos);
  }

  @Override
  public void nodePoolSkipped(String nodePool, String reason) {
    next.nodePoolSkipped(nodePool, reason);
  }

  /** NodeClaims the provisioner created so far. */
  long count() {
    return count.get();
  }

  /** The passes that created NodeClaims, and from each one's batch closing to its last create. */
  PassTimes passTimes() {
    synchronized (passNanos) {
      return PassTimes.of(passNanos);
    }
  }

  /** Seconds from {@code t0} ({@link System#nanoTime}) to the last one created; 0 if none. */
  double lastSecondsSince(long t0) {
    long last = lastNanos.get();
    return last == Long.MIN_VALUE ? 0 : Math.max(0, (last - t0) / 1e9);
  }
}
