package dev.dovetail.controllers.provisioning;

import dev.dovetail.controllers.capacitybuffer.BufferPods;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingResult;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second look at a pass that would buy NodeClaims for displaced pods: pods whose nominated room
 * the scheduler gave to other pods (it does not know Dovetail's nominations, as kube-scheduler does
 * not know Karpenter's). Those other pods left their own planned room free, but in other shapes and
 * places: a displaced pod alone often fits none of it. Upstream re-solves every pending pod on
 * every pass against all in-flight room; this asks the same question only when it can pay, solving
 * the pass's pods together with every pod still nominated and waiting, and takes that answer when
 * it places at least the same pods on cheaper new NodeClaims. Otherwise a nomination is kept
 * exactly (a nominated pod's room is never re-packed for a worse fit).
 *
 * <p>Measured on {@code bench provisioning --pods 20000} (BENCHMARKS.md): the NodeClaims bought for
 * displaced pods were the last ones created, tens of seconds after the last pending pod.
 */
final class DisplacedPods {
  private static final Logger LOG = LoggerFactory.getLogger(DisplacedPods.class);

  private final ClusterState state;
  private final SchedulingInputs inputs;
  private final Scheduler scheduler;
  private final int maxPods;

  DisplacedPods(ClusterState state, SchedulingInputs inputs, Scheduler scheduler, int maxPods) {
    this.state = state;
    this.inputs = inputs;
    this.scheduler = scheduler;
    this.maxPods = maxPods;
  }

  /** A pass's solve: the pods it was asked about, its input and its answer. */
  record Solve(
      List<Pod> pods, SchedulingInputs.Snapshot snapshot, SchedulingResult result, long nanos) {}

  /**
   * The pass's pods solved together with the nominated ones, when some of the pass's pods are
   * displaced and that solve is better than {@code alone}; else {@code alone}.
   */
  Solve together(Solve alone, UncachedClaims.NotYetCached notYetCached) {
    if (alone.result().newNodeClaims().isEmpty() || !anyDisplaced(alone.pods())) {
      return alone;
    }
    // Bounded like any solve: the nominated pods left out keep their room (the snapshot frees
    // only the room of the pods it solves), so a part of them still gives displaced pods room.
    List<Pod> all = new ArrayList<>(alone.pods());
    int nominated = 0;
    for (Pod p : state.nominatedPods()) {
      if (all.size() >= maxPods) {
        break;
      }
      if (PodUtils.isProvisionable(p) && !BufferPods.isVirtual(p)) {
        all.add(p);
        nominated++;
      }
    }
    if (nominated == 0) {
      return alone;
    }
    SchedulingInputs.Snapshot snapshot = inputs.snapshot(all, notYetCached, true);
    long start = System.nanoTime();
    SchedulingResult result = scheduler.solve(snapshot.input());
    long nanos = alone.nanos() + System.nanoTime() - start;
    Set<String> unplacedAlone = alone.result().unschedulable().keySet();
    boolean better =
        unplacedAlone.containsAll(result.unschedulable().keySet())
            && result.newNodesCostPerHour() < alone.result().newNodesCostPerHour() - 1e-9;
    if (!better) {
      return new Solve(alone.pods(), alone.snapshot(), alone.result(), nanos);
    }
    LOG.info(
        "solved {} pending pods, some displaced, together with {} nominated ones: new NodeClaims"
            + " at ${}/h instead of ${}/h",
        alone.pods().size(),
        nominated,
        String.format("%.3f", result.newNodesCostPerHour()),
        String.format("%.3f", alone.result().newNodesCostPerHour()));
    return new Solve(all, snapshot, result, nanos);
  }

  private boolean anyDisplaced(List<Pod> pods) {
    for (Pod p : pods) {
      if (state.isDisplaced(p)) {
        return true;
      }
    }
    return false;
  }
}
