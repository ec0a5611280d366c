package dev.dovetail.controllers.disruption.model;

import static dev.dovetail.controllers.disruption.model.PlannerFixture.GI;
import static dev.dovetail.controllers.disruption.model.PlannerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/**
 * A multi-node command is validated on the candidates it chose, together, as upstream's validation
 * simulates them again, not by searching prefixes of them anew: whether a prefix consolidates is
 * not monotone in its length.
 */
class MultiNodeRecomputeTest {
  private final Instant now = T0.plus(Duration.ofHours(1));

  private final MultiNodeConsolidation multi =
      new MultiNodeConsolidation(
          new Consolidation(
              new Simulation(new Scheduler(), SchedulingOptions.DEFAULT, false),
              DisruptionPlanner.Options.DEFAULT),
          Duration.ofMinutes(1),
          System::nanoTime);

  @Test
  void theChosenCandidatesStillConsolidateTogetherThoughAShorterPrefixDoesNot() {
    PlannerFixture f = new PlannerFixture();
    // c1, c2: 1.6 cores each, together a m.2xl ($0.20/h), not cheaper than the two ($0.20/h)
    f.node("c1", "m.1xl", "on-demand", f.pods(1, 1600, GI / 4));
    f.node("c2", "m.1xl", "on-demand", f.pods(1, 1600, GI / 4));
    // with c3 (0.5 core) the three fit one m.2xl ($0.20/h) instead of $0.30/h: a command
    f.node("c3", "m.1xl", "on-demand", f.pods(1, 500, GI / 4));
    // c4 (full, 16 cores) makes the four too many for any one cheaper node
    f.node("c4", "m.8xl", "on-demand", f.pods(2, 8000, GI / 4));

    Command cmd = multi.computeCommand(f.model(), now, new HashMap<>()).orElseThrow();
    assertThat(cmd.candidates()).extracting(Candidate::node).containsExactly("c1", "c2", "c3");

    ClusterModel only = f.model().withCandidates(cmd.candidates());
    // searching the three alone probes two first, which fails, and stops there
    assertThat(multi.computeCommand(only, now, new HashMap<>())).isEmpty();
    // validation evaluates the three together: still a command, nothing having changed
    Command again = multi.recompute(only, now, new HashMap<>()).orElseThrow();
    assertThat(again.candidates()).extracting(Candidate::node).containsExactly("c1", "c2", "c3");
    assertThat(again.priceAfter()).isEqualTo(cmd.priceAfter());
  }

  @Test
  void aCandidateThatIsNoLongerEligibleFailsTheCommand() {
    PlannerFixture f = new PlannerFixture();
    Candidate c1 = f.node("c1", "m.1xl", "on-demand", f.pods(1, 1600, GI / 4));
    f.node("c2", "m.1xl", "on-demand", f.pods(1, 1600, GI / 4));
    f.node("c3", "m.1xl", "on-demand", f.pods(1, 500, GI / 4));
    f.node("c4", "m.8xl", "on-demand", f.pods(2, 8000, GI / 4));
    Command cmd = multi.computeCommand(f.model(), now, new HashMap<>()).orElseThrow();
    assertThat(cmd.candidates()).hasSize(3);
    // c1 became blocked meanwhile (say a do-not-disrupt pod arrived)
    f.replace(
        c1,
        new Candidate(
            c1.nodeClaim(),
            c1.node(),
            c1.nodePool(),
            c1.instanceType(),
            c1.capacityType(),
            c1.zone(),
            c1.price(),
            c1.pods(),
            c1.consolidatableSince(),
            null,
            "pod default/p0 has karpenter.sh/do-not-disrupt",
            c1.disruptionCost()));
    ClusterModel only = f.model().withCandidates(f.candidates.subList(0, 3));
    assertThat(multi.recompute(only, now, new HashMap<>())).isEmpty();
  }
}
