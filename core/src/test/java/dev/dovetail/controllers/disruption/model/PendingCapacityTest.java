package dev.dovetail.controllers.disruption.model;

import static dev.dovetail.controllers.disruption.model.PlannerFixture.GI;
import static dev.dovetail.controllers.disruption.model.PlannerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pending pods keep the capacity they would get: consolidation plans around them. */
class PendingCapacityTest {
  private final DisruptionPlanner planner =
      new DisruptionPlanner(new Scheduler(), DisruptionPlanner.Options.DEFAULT);
  private final Instant now = T0.plus(Duration.ofHours(1));

  @Test
  void anEmptyNodeAPendingPodWouldFitOnIsNotACandidate() {
    PlannerFixture f = new PlannerFixture();
    f.node("empty", "m.2xl", "on-demand", List.of());
    ClusterModel withPending = f.model().withPendingPods(f.pods(1, 1000, GI));
    assertThat(planner.plan(f.model(), now)).isPresent(); // without the pod: deleted as empty
    assertThat(planner.plan(withPending, now)).isEmpty();
    assertThat(planner.lastRejected().get("claim-empty")).contains("pending pods would fit");
  }

  @Test
  void consolidationDoesNotMovePodsIntoTheRoomPendingPodsNeed() {
    PlannerFixture f = new PlannerFixture();
    // "a" has room for 3 more 1-cpu pods; "b"'s 3 pods would move there, unless 3 pending pods
    // take that room first.
    f.node("a", "m.2xl", "on-demand", f.pods(1, 1000, GI));
    f.node("b", "m.2xl", "on-demand", f.pods(3, 1000, GI));
    Optional<Command> alone = planner.plan(f.model(), now);
    assertThat(alone).isPresent(); // without pending pods the two nodes consolidate

    ClusterModel withPending = f.model().withPendingPods(f.pods(3, 1000, GI));
    Optional<Command> cmd = planner.plan(withPending, now);
    // "a" is where the pending pods go; "b"'s pods would then need a node as dear as "b".
    assertThat(cmd).isEmpty();
    assertThat(planner.lastRejected().get("claim-a")).contains("pending pods would fit");
  }

  @Test
  void pendingPodsArePlacedUnderTheOperatorsPreferencePolicy() {
    // Two empty nodes; a pending pod prefers "b". Respecting preferences it goes to "b", so "a" is
    // the empty one deleted. Under --preference-policy=Ignore the preference does not count: the
    // pod goes where the engine puts it by default ("a", as with no preference at all), so "b" is
    // deleted. Placed under the default policy instead, "b" would be kept for a pod that the
    // provisioner would not put there.
    PlannerFixture f = new PlannerFixture();
    f.node("a", "m.2xl", "on-demand", List.of());
    f.node("b", "m.2xl", "on-demand", List.of());
    ClusterModel withPending =
        f.model()
            .withPendingPods(
                List.of(
                    SchedulingPod.builder("default/pending")
                        .requests(1000, GI)
                        .preferredNodeAffinity(
                            100, Requirements.of(Requirement.in(WellKnownLabels.HOSTNAME, "b")))
                        .build()));
    DisruptionPlanner ignoring =
        new DisruptionPlanner(
            new Scheduler(),
            DisruptionPlanner.Options.DEFAULT.withScheduling(
                SchedulingOptions.DEFAULT.withIgnorePreferences(true)));
    // the premise: without a preference the engine puts the pod on "a", so "b" is deleted
    assertThat(deleted(planner, f.model().withPendingPods(List.of(plain())))).containsExactly("b");
    assertThat(deleted(planner, withPending)).containsExactly("a");
    assertThat(deleted(ignoring, withPending)).containsExactly("b");
  }

  private static SchedulingPod plain() {
    return SchedulingPod.builder("default/plain").requests(1000, GI).build();
  }

  private List<String> deleted(DisruptionPlanner p, ClusterModel model) {
    return p.plan(model, now).orElseThrow().candidates().stream().map(Candidate::node).toList();
  }
}
