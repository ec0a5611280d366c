package dev.dovetail.controllers.disruption.model;

import static dev.dovetail.controllers.disruption.model.PlannerFixture.GI;
import static dev.dovetail.controllers.disruption.model.PlannerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.PodAffinityTerm;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node whose pods several tiny nodes would hold more cheaply than any one node is still replaced
 * by the one cheaper node that holds them all: consolidation launches one replacement, as
 * upstream's, whose scheduler packs displaced pods into one NodeClaim while a type fits them.
 */
class OneReplacementTest {
  private final Instant now = T0.plus(Duration.ofHours(1));

  private final Consolidation consolidation =
      new Consolidation(
          new Simulation(new Scheduler(), SchedulingOptions.DEFAULT, false),
          DisruptionPlanner.Options.DEFAULT);

  /** The fixture's m.* sizes plus a tiny type cheaper per pod than any of them. */
  private static PlannerFixture withTinyType() {
    PlannerFixture f = new PlannerFixture();
    f.types.add(
        PlannerFixture.type(
            "t.nano", 1, 1, List.of(new Offering("zone-a", "on-demand", 0.005, true))));
    return f;
  }

  @Test
  void aDearNodeIsReplacedByTheOneCheaperNodeThatHoldsAllItsPods() {
    PlannerFixture f = withTinyType();
    // 12 pods of 500m/512Mi: six t.nano ($0.03/h) would be cheapest, one m.4xl ($0.40/h) holds all
    Candidate dear = f.node("dear", "m.8xl", "on-demand", f.pods(12, 500, GI / 2));

    Consolidation.Evaluation e =
        consolidation.evaluate(f.model(), List.of(dear), Method.SINGLE_NODE_CONSOLIDATION);

    assertThat(e.why()).isNull();
    assertThat(e.command().replacements()).hasSize(1);
    assertThat(e.command().replacements().get(0).instanceTypeOptions())
        .extracting(InstanceType::name)
        .startsWith("m.4xl")
        .doesNotContain("t.nano", "m.1xl", "m.2xl");
    assertThat(e.command().replacements().get(0).podIds()).hasSize(12);
    assertThat(e.command().priceAfter()).isEqualTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void podsThatMustNotShareANodeStillNeedSeveralAndTheNodeStays() {
    PlannerFixture f = withTinyType();
    // hostname anti-affinity among the 3 pods: no one node may hold them all
    List<SchedulingPod> spread = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      spread.add(
          SchedulingPod.builder("default/spread-" + i)
              .label("app", "spread")
              .requests(500, GI / 2)
              .podAntiAffinity(
                  PodAffinityTerm.of(
                      Requirements.of(Requirement.in("app", "spread")), WellKnownLabels.HOSTNAME))
              .build());
    }
    Candidate dear = f.node("dear", "m.8xl", "on-demand", spread);

    Consolidation.Evaluation e =
        consolidation.evaluate(f.model(), List.of(dear), Method.SINGLE_NODE_CONSOLIDATION);

    assertThat(e.command()).isNull();
    assertThat(e.why()).contains("would need 3 new nodes, not one");
  }

  @Test
  void severalSmallNodesAreNotMergedWhenTheirOneReplacementIsNotCheaper() {
    PlannerFixture f = withTinyType();
    List<Candidate> nanos = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      nanos.add(f.node("nano-" + i, "t.nano", "on-demand", f.pods(1, 500, GI / 2)));
    }
    // two t.nano would do, but not one; one m.1xl ($0.10/h) holds all four, dearer than the four
    // nodes ($0.02/h) together
    Consolidation.Evaluation e =
        consolidation.evaluate(f.model(), nanos, Method.MULTI_NODE_CONSOLIDATION);

    assertThat(e.command()).isNull();
    assertThat(e.why()).contains("new nodes, not one");
  }
}
