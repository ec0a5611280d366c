package dev.dovetail.controllers.disruption.model;

import static dev.dovetail.controllers.disruption.model.PlannerFixture.GI;
import static dev.dovetail.controllers.disruption.model.PlannerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Consolidation prices a replacement as upstream does: by what its launch can cost at worst. */
class ReplacementPricesTest {
  private final DisruptionPlanner planner =
      new DisruptionPlanner(
          new Scheduler(), DisruptionPlanner.Options.DEFAULT.withSpotToSpot(true));
  private final Instant now = T0.plus(Duration.ofHours(1));

  private static InstanceType type(String name, int cores, Offering... offerings) {
    return PlannerFixture.type(name, cores, 8, List.of(offerings));
  }

  @Test
  void worstLaunchPriceTakesTheDearestOfferingOfTheCapacityTypeALaunchWouldUse() {
    InstanceType t =
        type(
            "t",
            2,
            new Offering("zone-a", "on-demand", 0.10, true),
            new Offering("zone-b", "on-demand", 0.12, true),
            new Offering("zone-a", "spot", 0.03, true),
            new Offering("zone-b", "spot", 0.05, true),
            new Offering("zone-c", "spot", 0.09, false));
    Requirements any = Requirements.of();
    // spot comes before on-demand; the unavailable zone-c offering is not a launch option
    assertThat(ReplacementPrices.worstLaunchPrice(t, any)).hasValue(0.05);
    Requirements onDemand =
        Requirements.of(Requirement.in(WellKnownLabels.CAPACITY_TYPE, "on-demand"));
    assertThat(ReplacementPrices.worstLaunchPrice(t, onDemand)).hasValue(0.12);
    Requirements zoneA = Requirements.of(Requirement.in(WellKnownLabels.ZONE, "zone-a"));
    assertThat(ReplacementPrices.worstLaunchPrice(t, zoneA)).hasValue(0.03);
    Requirements reserved =
        Requirements.of(Requirement.in(WellKnownLabels.CAPACITY_TYPE, "reserved"));
    assertThat(ReplacementPrices.worstLaunchPrice(t, reserved)).isEmpty();
  }

  @Test
  void aTypeWhoseDearerZoneCostsMoreThanTheNodeIsNoReplacement() {
    PlannerFixture f = new PlannerFixture();
    // cheapest offering $0.05/h, but the replacement may land in zone-b at $0.90/h
    f.types.add(
        type(
            "z.1xl",
            2,
            new Offering("zone-a", "on-demand", 0.05, true),
            new Offering("zone-b", "on-demand", 0.90, true)));
    f.node("big", "m.8xl", "on-demand", f.pods(2, 500, GI));
    Command cmd = planner.plan(f.model(), now).orElseThrow();
    assertThat(cmd.replacements()).hasSize(1);
    assertThat(cmd.replacements().get(0).instanceTypeOptions())
        .extracting(InstanceType::name)
        .doesNotContain("z.1xl")
        .contains("m.1xl");
    assertThat(cmd.priceAfter()).isEqualTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void anOnDemandNodeReplacedBySpotIsHeldToSpot() {
    PlannerFixture f = new PlannerFixture();
    f.poolRequirements =
        Requirements.of(
            Requirement.in(
                WellKnownLabels.CAPACITY_TYPE,
                WellKnownLabels.CAPACITY_TYPE_ON_DEMAND,
                WellKnownLabels.CAPACITY_TYPE_SPOT));
    f.node("big", "m.8xl", "on-demand", f.pods(2, 500, GI));
    Command cmd = planner.plan(f.model(), now).orElseThrow();
    var replacement = cmd.replacements().get(0);
    // priced as spot, so a spot shortage must fail the launch, not buy on-demand in its place
    assertThat(replacement.requirements().get(WellKnownLabels.CAPACITY_TYPE).values())
        .containsExactly(WellKnownLabels.CAPACITY_TYPE_SPOT);
    assertThat(cmd.priceAfter()).isEqualTo(0.03, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void severalNodesAreNotReplacedByOneOfACandidatesOwnTypeThatIsNotCheaper() {
    PlannerFixture f = new PlannerFixture();
    f.types.add(type("b.6", 6, new Offering("zone-a", "on-demand", 0.28, true)));
    Candidate small = f.node("small", "m.1xl", "on-demand", f.pods(1, 1000, GI));
    Candidate large = f.node("large", "b.6", "on-demand", f.pods(3, 1500, GI));
    Consolidation consolidation =
        new Consolidation(
            new Simulation(new Scheduler(), SchedulingOptions.DEFAULT, false),
            DisruptionPlanner.Options.DEFAULT);
    // Replacing both ($0.38/h) by a new b.6 ($0.28/h) saves what deleting "small" alone saves,
    // and moves four pods instead of one (upstream's filterOutSameInstanceType).
    Consolidation.Evaluation both =
        consolidation.evaluate(f.model(), List.of(small, large), Method.MULTI_NODE_CONSOLIDATION);
    assertThat(both.command()).isNull();
    assertThat(both.why()).contains("cheapest candidate of a type the replacement could be");
    Consolidation.Evaluation one =
        consolidation.evaluate(f.model(), List.of(small), Method.SINGLE_NODE_CONSOLIDATION);
    assertThat(one.why()).isNull();
    assertThat(one.command().isDelete()).isTrue();
  }

  @Test
  void severalSpotNodesMayBeReplacedByOneSpotNode() {
    PlannerFixture f = new PlannerFixture();
    f.poolRequirements =
        Requirements.of(
            Requirement.in(WellKnownLabels.CAPACITY_TYPE, WellKnownLabels.CAPACITY_TYPE_SPOT));
    f.types.add(
        type(
            "p.6",
            6,
            new Offering("zone-a", "on-demand", 0.2, true),
            new Offering("zone-a", "spot", 0.05, true)));
    for (String n : List.of("a", "b", "c")) {
      f.node(n, "m.1xl", "spot", f.pods(1, 1500, GI));
    }
    // three spot nodes ($0.09/h) to one p.6 spot node ($0.05/h): upstream's multi-node path needs
    // no fifteen-type flexibility for spot-to-spot
    Command cmd = planner.plan(f.model(), now).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.MULTI_NODE_CONSOLIDATION);
    assertThat(cmd.candidates()).hasSize(3);
    assertThat(cmd.replacements()).hasSize(1);
    assertThat(cmd.priceAfter()).isEqualTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void narrowingToCheaperTypesMustKeepTheNodePoolsMinValues() {
    PlannerFixture f = new PlannerFixture();
    f.node("big", "m.8xl", "on-demand", f.pods(2, 500, GI));
    List<String> all = f.types.stream().map(InstanceType::name).toList();
    // three types are cheaper than the m.8xl: enough for minValues 3, not for 4
    f.poolRequirements =
        f.poolRequirements.and(Requirement.in(WellKnownLabels.INSTANCE_TYPE, all).withMinValues(3));
    assertThat(planner.plan(f.model(), now)).isPresent();
    f.poolRequirements =
        f.poolRequirements
            .without(WellKnownLabels.INSTANCE_TYPE)
            .and(Requirement.in(WellKnownLabels.INSTANCE_TYPE, all).withMinValues(4));
    assertThat(planner.plan(f.model(), now)).isEmpty();
    assertThat(planner.lastRejected().get("claim-big")).contains("minValues");
  }

  @Test
  void minValuesPrefixCountsTheTypesItTakes() {
    List<InstanceType> types =
        List.of(
            type("a", 2, new Offering("zone-a", "on-demand", 0.1, true)),
            type("b", 2, new Offering("zone-a", "on-demand", 0.2, true)),
            type("c", 2, new Offering("zone-a", "on-demand", 0.3, true)));
    Requirement names = Requirement.in(WellKnownLabels.INSTANCE_TYPE, "a", "b", "c");
    assertThat(ReplacementPrices.minValuesPrefix(Requirements.of(names), types)).isZero();
    assertThat(ReplacementPrices.minValuesPrefix(Requirements.of(names.withMinValues(2)), types))
        .isEqualTo(2);
    assertThat(ReplacementPrices.minValuesPrefix(Requirements.of(names.withMinValues(4)), types))
        .isEqualTo(-1);
  }
}
