package dev.dovetail.controllers.disruption.model;

import static dev.dovetail.controllers.disruption.model.PlannerFixture.GI;
import static dev.dovetail.controllers.disruption.model.PlannerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DisruptionPlannerTest {
  private final DisruptionPlanner planner =
      new DisruptionPlanner(
          new Scheduler(), DisruptionPlanner.Options.DEFAULT.withSpotToSpot(true));
  private final Instant now = T0.plus(Duration.ofHours(1));

  @Test
  void singleNodeDeletesANodeWhosePodsFitElsewhere() {
    PlannerFixture f = new PlannerFixture();
    f.node("a", "m.4xl", "on-demand", f.pods(6, 1000, GI));
    f.node("b", "m.4xl", "on-demand", f.pods(1, 1000, GI));
    Optional<Command> cmd = planner.singleNode(f.model(), now, new HashMap<>());
    assertThat(cmd).isPresent();
    assertThat(cmd.get().isDelete()).isTrue();
    assertThat(cmd.get().candidates()).extracting(Candidate::node).containsExactly("b");
    assertThat(cmd.get().priceAfter()).isZero();
  }

  @Test
  void multiNodeConsolidatesSeveralNodesAtOnce() {
    PlannerFixture f = new PlannerFixture();
    f.node("a", "m.4xl", "on-demand", f.pods(3, 1000, GI));
    f.node("b", "m.4xl", "on-demand", f.pods(2, 1000, GI));
    f.node("c", "m.4xl", "on-demand", f.pods(1, 1000, GI));
    Command cmd = planner.plan(f.model(), now).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.MULTI_NODE_CONSOLIDATION);
    // the longest prefix (cheapest to disrupt first) that one cheaper node can hold
    assertThat(cmd.candidates().size()).isGreaterThanOrEqualTo(2);
    assertThat(cmd.candidates().get(0).node()).isEqualTo("c");
    assertThat(cmd.replacements().size()).isLessThanOrEqualTo(1);
    assertThat(cmd.priceAfter()).isLessThan(cmd.priceBefore());
    int placed = cmd.placements().size();
    for (var r : cmd.replacements()) {
      placed += r.podIds().size();
    }
    assertThat(placed).isEqualTo(cmd.podCount()); // every moving pod has a place
  }

  @Test
  void replacesAnOversizedNodeWithACheaperOneOnlyListingCheaperOptions() {
    PlannerFixture f = new PlannerFixture();
    f.node("big", "m.8xl", "on-demand", f.pods(2, 500, GI));
    Command cmd = planner.plan(f.model(), now).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.SINGLE_NODE_CONSOLIDATION);
    assertThat(cmd.replacements()).hasSize(1);
    assertThat(cmd.priceAfter()).isEqualTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
    for (InstanceType it : cmd.replacements().get(0).instanceTypeOptions()) {
      assertThat(it.cheapestOffering(cmd.replacements().get(0).requirements()).get().price())
          .isLessThan(0.8);
    }
    assertThat(cmd.replacements().get(0).requirements().get(WellKnownLabels.INSTANCE_TYPE).values())
        .doesNotContain("m.8xl", "m.16xl");
  }

  @Test
  void neverReplacesWithSomethingNotCheaper() {
    PlannerFixture f = new PlannerFixture();
    f.node("small", "m.1xl", "on-demand", f.pods(2, 900, GI));
    assertThat(planner.plan(f.model(), now)).isEmpty();
    assertThat(planner.lastRejected().get("claim-small")).contains("no replacement cheaper");
  }

  @Test
  void spotToSpotNeedsFifteenCheaperTypes() {
    PlannerFixture f = new PlannerFixture();
    f.poolRequirements =
        Requirements.of(
            Requirement.in(WellKnownLabels.CAPACITY_TYPE, WellKnownLabels.CAPACITY_TYPE_SPOT));
    f.node("s", "m.8xl", "spot", f.pods(2, 500, GI));
    assertThat(planner.plan(f.model(), now)).isEmpty();
    assertThat(planner.lastRejected().get("claim-s")).contains("spot-to-spot needs 15");

    // With plenty of cheaper spot types the replacement is allowed, among the 15 cheapest.
    PlannerFixture g = new PlannerFixture();
    g.poolRequirements = f.poolRequirements;
    for (int i = 0; i < 20; i++) {
      g.types.add(PlannerFixture.type("x" + i + ".xl", 2, 8, 0.1 + i * 0.001, 0.03 + i * 0.001));
    }
    g.node("s", "m.8xl", "spot", g.pods(2, 500, GI));
    Command cmd = planner.plan(g.model(), now).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.SINGLE_NODE_CONSOLIDATION);
    assertThat(cmd.replacements().get(0).instanceTypeOptions()).hasSize(15);
    assertThat(cmd.priceAfter()).isLessThan(0.24);

    DisruptionPlanner disabled =
        new DisruptionPlanner(
            new Scheduler(),
            new DisruptionPlanner.Options(false, Duration.ofMinutes(1), Duration.ofMinutes(3)));
    assertThat(disabled.plan(g.model(), now)).isEmpty();
    assertThat(disabled.lastRejected().get("claim-s")).contains("disabled");
  }

  @Test
  void emptinessWaitsForConsolidateAfter() {
    PlannerFixture f = new PlannerFixture();
    f.policies.put(
        "default", f.policies.get("default").withConsolidateAfter(Duration.ofMinutes(5)));
    f.node("empty", "m.2xl", "on-demand", List.of());
    assertThat(planner.plan(f.model(), T0.plusSeconds(60))).isEmpty();
    assertThat(planner.lastRejected().get("claim-empty")).contains("consolidateAfter");
    Command cmd = planner.plan(f.model(), T0.plus(Duration.ofMinutes(5))).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.EMPTINESS);
    assertThat(cmd.candidates()).extracting(Candidate::node).containsExactly("empty");

    f.policies.put("default", f.policies.get("default").withConsolidateAfter(null)); // Never
    assertThat(planner.plan(f.model(), T0.plus(Duration.ofDays(10)))).isEmpty();
  }

  @Test
  void whenEmptyPolicyLeavesUnderutilizedNodesAlone() {
    PlannerFixture f = new PlannerFixture();
    f.policies.put("default", f.policies.get("default").withConsolidationPolicy("WhenEmpty"));
    f.node("big", "m.8xl", "on-demand", f.pods(1, 500, GI));
    assertThat(planner.plan(f.model(), now)).isEmpty();
    assertThat(planner.lastRejected().get("claim-big")).contains("WhenEmpty");
  }

  @Test
  void budgetsCapHowManyNodesGoAtOnce() {
    PlannerFixture f = new PlannerFixture();
    for (int i = 0; i < 5; i++) {
      f.node("e" + i, "m.1xl", "on-demand", List.of());
    }
    f.policies.put("default", f.policies.get("default").withBudgets(List.of(BudgetRule.of("2"))));
    assertThat(planner.plan(f.model(), now).orElseThrow().candidates()).hasSize(2);
    // nodes already disrupting count against the budget
    assertThat(planner.plan(f.model(1, Integer.MAX_VALUE), now).orElseThrow().candidates())
        .hasSize(1);
    assertThat(planner.plan(f.model(2, Integer.MAX_VALUE), now)).isEmpty();
    assertThat(planner.lastRejected().get("claim-e0")).contains("budget");
    // percentages round up: 10% of 5 nodes is 1
    f.policies.put("default", f.policies.get("default").withBudgets(List.of(BudgetRule.of("10%"))));
    assertThat(planner.plan(f.model(), now).orElseThrow().candidates()).hasSize(1);
    // a budget for other reasons does not limit emptiness
    f.policies.put(
        "default",
        f.policies
            .get("default")
            .withBudgets(List.of(new BudgetRule("0", List.of("Drifted"), null, null))));
    assertThat(planner.plan(f.model(), now).orElseThrow().candidates()).hasSize(5);
    f.policies.put(
        "default",
        f.policies
            .get("default")
            .withBudgets(List.of(new BudgetRule("0", List.of("Empty"), null, null))));
    assertThat(planner.plan(f.model(), now)).isEmpty();
  }

  @Test
  void scheduledBudgetsOnlyApplyInsideTheirWindow() {
    PlannerFixture f = new PlannerFixture();
    f.node("e", "m.1xl", "on-demand", List.of());
    // no disruption during business hours on weekdays
    f.policies.put(
        "default",
        f.policies
            .get("default")
            .withBudgets(
                List.of(
                    new BudgetRule(
                        "0",
                        List.of(),
                        CronSchedule.parse("0 9 * * mon-fri"),
                        Duration.ofHours(8)))));
    Instant mondayTen = Instant.parse("2026-01-05T10:00:00Z");
    Instant mondayEvening = Instant.parse("2026-01-05T18:30:00Z");
    Instant saturdayTen = Instant.parse("2026-01-10T10:00:00Z");
    assertThat(planner.plan(f.model(), mondayTen)).isEmpty();
    assertThat(planner.plan(f.model(), mondayEvening)).isPresent();
    assertThat(planner.plan(f.model(), saturdayTen)).isPresent();
  }

  @Test
  void blockedCandidatesAreSkippedWithTheirReason() {
    PlannerFixture f = new PlannerFixture();
    Candidate c = f.node("e", "m.1xl", "on-demand", List.of());
    f.replace(c, c.withBlockedReason("pod default/x has karpenter.sh/do-not-disrupt"));
    Candidate big = f.node("big", "m.8xl", "on-demand", f.pods(1, 500, GI));
    f.replace(big, big.withBlockedReason("PDB default/pdb would be violated"));
    assertThat(planner.plan(f.model(), now)).isEmpty();
    assertThat(planner.lastRejected().get("claim-e")).contains("do-not-disrupt");
    assertThat(planner.lastRejected().get("claim-big")).contains("PDB");
  }

  @Test
  void minimumSavingsRejectsSmallSavings() {
    PlannerFixture f = new PlannerFixture();
    f.node("big", "m.8xl", "on-demand", f.pods(2, 500, GI)); // 0.8 -> 0.1 saves 87.5%
    f.policies.put("default", f.policies.get("default").withMinimumSavings(90, 0));
    assertThat(planner.plan(f.model(), now)).isEmpty();
    assertThat(planner.lastRejected().get("claim-big")).contains("minimumSavings");
    f.policies.put("default", f.policies.get("default").withMinimumSavings(0, 0.75));
    assertThat(planner.plan(f.model(), now)).isEmpty();
    f.policies.put("default", f.policies.get("default").withMinimumSavings(50, 0.5));
    assertThat(planner.plan(f.model(), now)).isPresent();
  }

  @Test
  void evictionRateLimitCapsPodsMoved() {
    PlannerFixture f = new PlannerFixture();
    f.node("big", "m.8xl", "on-demand", f.pods(2, 500, GI));
    assertThat(planner.plan(f.model(0, 1), now)).isEmpty();
    assertThat(planner.lastRejected().get("claim-big")).contains("evictionRateLimit");
    assertThat(planner.plan(f.model(0, 2), now)).isPresent();
  }

  @Test
  void emptinessComesFirstThenDriftReplacesEvenWhenNotCheaper() {
    PlannerFixture f = new PlannerFixture();
    Candidate d = f.node("d", "m.1xl", "on-demand", f.pods(2, 900, GI));
    f.replace(
        d,
        new Candidate(
            d.nodeClaim(),
            d.node(),
            d.nodePool(),
            d.instanceType(),
            d.capacityType(),
            d.zone(),
            d.price(),
            d.pods(),
            d.consolidatableSince(),
            "NodePoolDrifted",
            null,
            d.disruptionCost()));
    f.node("e", "m.1xl", "on-demand", List.of()); // empty
    // Upstream HEAD's order: emptiness before drift.
    Command first = planner.plan(f.model(), now).orElseThrow();
    assertThat(first.method()).isEqualTo(Method.EMPTINESS);
    assertThat(first.candidates()).extracting(Candidate::node).containsExactly("e");

    // An Empty budget of 0 stops emptiness; drift then runs.
    f.policies.put(
        "default",
        f.policies
            .get("default")
            .withBudgets(List.of(new BudgetRule("0", List.of("Empty"), null, null))));
    Command cmd = planner.plan(f.model(), now).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.DRIFT);
    assertThat(cmd.candidates()).extracting(Candidate::node).containsExactly("d");
    // its pods fit on the empty node, so no replacement is needed... or one is launched
    assertThat(cmd.replacements().size()).isLessThanOrEqualTo(1);

    // A drift budget of 0 too: consolidation is next (d is consolidatable onto e).
    f.policies.put(
        "default",
        f.policies
            .get("default")
            .withBudgets(List.of(new BudgetRule("0", List.of("Empty", "Drifted"), null, null))));
    planner
        .plan(f.model(), now)
        .ifPresent(next -> assertThat(next.method().consolidation()).isTrue());
  }

  @Test
  void podsThatFitNowhereBlockConsolidation() {
    PlannerFixture f = new PlannerFixture();
    f.types.removeIf(t -> !t.name().equals("m.1xl"));
    f.node("a", "m.1xl", "on-demand", f.pods(1, 1500, GI));
    f.node("b", "m.1xl", "on-demand", f.pods(1, 1500, GI));
    assertThat(planner.plan(f.model(), now)).isEmpty();
    Map<String, String> why = planner.lastRejected();
    assertThat(why.values())
        .allMatch(s -> s.contains("no replacement cheaper") || s.contains("could not"));
  }

  @Test
  void balancedPolicyNeedsSavingsProportionalToDisruption() {
    // A busy node whose replacement saves little of the pool's cost is left alone...
    PlannerFixture f = new PlannerFixture();
    f.policies.put("default", f.policies.get("default").withConsolidationPolicy("Balanced"));
    f.node("busy", "m.2xl", "on-demand", f.pods(9, 200, GI / 4)); // 0.2 -> 0.1 possible
    f.node("other1", "m.16xl", "on-demand", f.pods(1, 28000, GI));
    f.node("other2", "m.16xl", "on-demand", f.pods(1, 28000, GI));
    assertThat(planner.plan(f.model(), now)).isEmpty();
    assertThat(planner.lastRejected().get("claim-busy")).contains("Balanced");
    // ...while under WhenEmptyOrUnderutilized the same move is taken.
    f.policies.put(
        "default", f.policies.get("default").withConsolidationPolicy("WhenEmptyOrUnderutilized"));
    assertThat(planner.plan(f.model(), now)).isPresent();
  }
}
