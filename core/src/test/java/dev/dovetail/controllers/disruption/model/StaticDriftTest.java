package dev.dovetail.controllers.disruption.model;

import static dev.dovetail.controllers.disruption.model.PlannerFixture.GI;
import static dev.dovetail.controllers.disruption.model.PlannerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.scheduling.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The methods' order and static NodePools: never consolidated, drifted nodes replaced 1:1. */
class StaticDriftTest {
  private final DisruptionPlanner planner =
      new DisruptionPlanner(new Scheduler(), DisruptionPlanner.Options.DEFAULT);
  private final Instant now = T0.plus(Duration.ofHours(1));

  private static Candidate drifted(Candidate d) {
    return new Candidate(
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
        d.disruptionCost());
  }

  @Test
  void methodsAreAskedInUpstreamOrder() {
    assertThat(planner.methods())
        .extracting(m -> m.getClass().getSimpleName())
        .containsExactly(
            "Emptiness",
            "StaticDrift",
            "Drift",
            "MultiNodeConsolidation",
            "SingleNodeConsolidation");
  }

  @Test
  void staticPoolsAreNeverConsolidated() {
    PlannerFixture f = new PlannerFixture();
    f.policies.put("default", f.policies.get("default").withReplicas(3L));
    f.node("empty", "m.16xl", "on-demand", List.of());
    f.node("small", "m.16xl", "on-demand", f.pods(1, 100, GI));
    assertThat(planner.plan(f.model(), now)).isEmpty();

    f.policies.put("default", f.policies.get("default").withReplicas(null));
    assertThat(planner.plan(f.model(), now)).isPresent(); // the same nodes, dynamic: consolidated
  }

  @Test
  void staticDriftReplacesEachDriftedNodeOneForOneWithinBudget() {
    PlannerFixture f = new PlannerFixture();
    f.policies.put(
        "default",
        f.policies.get("default").withReplicas(3L).withBudgets(List.of(BudgetRule.of("2"))));
    Candidate a = f.node("a", "m.2xl", "on-demand", f.pods(2, 900, GI));
    f.replace(a, drifted(a));
    Candidate b = f.node("b", "m.2xl", "on-demand", List.of());
    f.replace(b, drifted(b));
    Candidate c = f.node("c", "m.2xl", "on-demand", f.pods(1, 100, GI));
    f.replace(c, drifted(c));

    Command cmd = planner.plan(f.model(), now).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.STATIC_DRIFT);
    assertThat(cmd.candidates()).hasSize(2); // budget of 2
    assertThat(cmd.replacements()).hasSize(2);
    assertThat(cmd.replacements())
        .allSatisfy(
            r -> {
              assertThat(r.nodePool()).isEqualTo("default");
              assertThat(r.podIds()).isEmpty();
              assertThat(r.instanceTypeOptions()).isNotEmpty();
              assertThat(r.cheapestPrice()).isPositive();
            });
    assertThat(planner.method(Method.STATIC_DRIFT).orElseThrow().validated()).isFalse();
  }

  @Test
  void dynamicDriftIgnoresStaticPools() {
    PlannerFixture f = new PlannerFixture();
    f.policies.put("default", f.policies.get("default").withReplicas(1L));
    Candidate a = f.node("a", "m.2xl", "on-demand", f.pods(2, 900, GI));
    f.replace(a, drifted(a));
    assertThat(planner.drift(f.model(), now, new java.util.HashMap<>())).isEmpty();
  }
}
