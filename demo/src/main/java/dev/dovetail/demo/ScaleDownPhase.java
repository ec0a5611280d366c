package dev.dovetail.demo;

import dev.dovetail.operator.DovetailOperator;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The demo's second phase: part of the workload goes away; consolidation removes or replaces the
 * nodes it no longer needs while the stand-in ReplicaSet controller keeps the remaining pods
 * running. Ends when consolidation has nothing left to do, when a settled cluster stops getting
 * cheaper, or at the timeout; then counts the pods lost.
 */
final class ScaleDownPhase {
  /** The share of the workload that goes away. */
  static final double SCALE_DOWN_SHARE = 0.6;

  private final DovetailOperator dovetail;
  private final Rescheduler rescheduler;
  private final DemoObserver observer;
  private final Duration timeout;
  private final PrintStream out;

  ScaleDownPhase(
      DovetailOperator dovetail,
      Rescheduler rescheduler,
      DemoObserver observer,
      Duration timeout,
      PrintStream out) {
    this.dovetail = dovetail;
    this.rescheduler = rescheduler;
    this.observer = observer;
    this.timeout = timeout;
    this.out = out;
  }

  /** Runs the phase after {@code before} (the provisioning phase's end); returns the summary. */
  Demo.Summary run(List<Pod> workload, Demo.Summary before) throws InterruptedException {
    List<String> gone = new ArrayList<>();
    for (int i = 0; i < workload.size(); i++) {
      if (i % 10 < SCALE_DOWN_SHARE * 10) {
        gone.add(workload.get(i).getMetadata().getName());
      }
    }
    out.println();
    out.printf(
        "scale-down: %d of %d pods go away; consolidation starts (cost $%.4f/h)%n",
        gone.size(), workload.size(), before.costPerHour());
    rescheduler.scaleDown(gone);
    int remaining = workload.size() - gone.size();
    long deadline = System.nanoTime() + timeout.toNanos();
    Demo.Summary summary = before;
    int quiet = 0;
    String endedBecause = "the phase's time ran out";
    double lowest = before.costPerHour();
    int sinceImprovement = 0;
    int nodesBefore = before.nodeClaims();
    Set<String> claimsBefore = new HashSet<>();
    dovetail.state().nodeClaims().forEach(nc -> claimsBefore.add(nc.getMetadata().getName()));
    while (System.nanoTime() < deadline) {
      Thread.sleep(1000);
      summary = observer.observe(remaining);
      out.println(summary.timelineLine());
      boolean settled =
          !dovetail.disruption().busy()
              && summary.pods().pending() == 0
              && summary.pods().bound() == remaining
              && summary.nodeClaims() == summary.initialized();
      if (summary.costPerHour() < lowest - 1e-9) {
        lowest = summary.costPerHour();
        sinceImprovement = 0;
      } else {
        sinceImprovement++;
      }
      quiet = settled ? quiet + 1 : 0;
      // Done when consolidation has nothing left to do (its last pass planned nothing), or when a
      // settled cluster has not got cheaper for a while (what is left is churn, not savings).
      if (settled && dovetail.disruption().converged() && quiet >= 3) {
        endedBecause = "consolidation has nothing left to do";
        break;
      }
      if (quiet >= 6 || (settled && sinceImprovement >= 8)) {
        endedBecause = "settled without getting cheaper for " + sinceImprovement + "s";
        break;
      }
    }
    // Lost, precisely: a controller's pod without a running replacement, or a naked pod that is
    // not running any more, once the phase has ended (settled, or the timeout).
    Set<String> nodeNames = new HashSet<>();
    dovetail.state().nodes().forEach(n -> nodeNames.add(n.getMetadata().getName()));
    Set<String> stillWanted = rescheduler.desired();
    List<Pod> wanted =
        workload.stream().filter(p -> stillWanted.contains(p.getMetadata().getName())).toList();
    List<LostPods.Lost> lostPods = LostPods.of(wanted, dovetail.state().pods(), nodeNames);
    Demo.Summary.Consolidation c =
        new Demo.Summary.Consolidation(
            before.costPerHour(), summary.costPerHour(), removed(claimsBefore), lostPods.size());
    summary = summary.withConsolidation(c);
    out.println();
    out.println("Scale-down");
    out.printf(
        "  cost:          $%.4f/h -> $%.4f/h (%.1f%% saved)%n",
        c.costPerHourBefore(),
        c.costPerHourAfter(),
        c.costPerHourBefore() == 0
            ? 0
            : 100 * (c.costPerHourBefore() - c.costPerHourAfter()) / c.costPerHourBefore());
    out.printf("  nodeclaims:    %d -> %d%n", nodesBefore, summary.nodeClaims());
    out.printf("  pods:          %d remain, %d lost%n", remaining, lostPods.size());
    out.printf("  ended:         %s%n", endedBecause);
    java.util.Map<String, Pod> live = lostPods.isEmpty() ? java.util.Map.of() : rescheduler.live();
    for (LostPods.Lost l : lostPods) {
      String name = l.pod().substring(l.pod().indexOf('/') + 1);
      Pod p = live.get(name);
      out.println(
          "    lost: "
              + l
              + " [API server: "
              + (p == null
                  ? "absent"
                  : "present uid " + p.getMetadata().getUid() + " rv " + p.getMetadata().getResourceVersion()
                      + " node " + p.getSpec().getNodeName()
                      + (p.getMetadata().getDeletionTimestamp() == null ? "" : " deleting"))
              + "]");
    }
    Set<String> wantedNames = new HashSet<>(stillWanted);
    for (Pod p : dovetail.state().pods()) {
      if (dev.dovetail.state.PodUtils.isBound(p) && !wantedNames.contains(p.getMetadata().getName())) {
        out.println("    cache holds unwanted bound pod " + p.getMetadata().getNamespace() + "/"
            + p.getMetadata().getName() + " rv " + p.getMetadata().getResourceVersion()
            + " node " + p.getSpec().getNodeName() + " (API server: "
            + (rescheduler.liveAny(p.getMetadata().getName()) ? "present" : "absent") + ")");
      }
    }
    return summary;
  }

  /** NodeClaims that existed before the scale-down and are gone now (consolidated away). */
  private int removed(Set<String> before) {
    Set<String> gone = new HashSet<>(before);
    dovetail.state().nodeClaims().forEach(nc -> gone.remove(nc.getMetadata().getName()));
    return gone.size();
  }
}
