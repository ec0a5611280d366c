package dev.dovetail.controllers.disruption.model;

import static dev.dovetail.controllers.disruption.model.PlannerFixture.GI;
import static dev.dovetail.controllers.disruption.model.PlannerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.PodAffinityTerm;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.TopologySpreadConstraint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Simulations that hand the engine only the nodes with room for one of the moving pods ({@link
 * RoomIndex}) decide exactly what whole-cluster simulations decide: the planners run in lockstep on
 * seeded clusters, every command and every rejection reason compared, to the fixed point.
 */
class OnlyNodesWithRoomTest {
  private static final DisruptionPlanner.Options OPTIONS =
      DisruptionPlanner.Options.DEFAULT.withSpotToSpot(true);

  @ParameterizedTest
  @CsvSource({"80, 800, 10%, 42", "80, 800, 10%, 7", "60, 700, 10%, 1", "40, 400, 100%, 3"})
  void generatedClustersGetTheSameCommandsToTheFixedPointAndLoseNoPod(
      int nodes, int pods, String budget, long seed) {
    ClusterModel start =
        ConsolidationScenario.build(nodes, pods, ConsolidationScenario.catalog(), budget, seed);

    Lockstep run = lockstep(start, ConsolidationScenario.NOW, 100);

    assertThat(run.commands()).isPositive();
    assertThat(run.passes()).isGreaterThan(1); // the last pass found nothing
    assertPlacementsHold(start, run.end());
  }

  @Test
  void topologyPendingPodsAndDisruptingNodesGetTheSameCommands() {
    PlannerFixture f = new PlannerFixture();
    Requirements web = Requirements.of(Requirement.in("app", "web"));
    f.node("a", "m.4xl", "on-demand", f.pods(2, 1000, GI));
    f.node("b", "m.2xl", "on-demand", f.pods(1, 500, GI));
    f.node("c", "m.4xl", "on-demand", f.pods(3, 2000, 2 * GI));
    f.node("d", "m.2xl", "on-demand", f.pods(1, 250, GI / 2));
    f.node("e", "m.8xl", "on-demand", f.pods(4, 1000, GI));
    ClusterModel plain = f.model();

    // a running pod with required hostname anti-affinity: every node matters
    List<SchedulingPod> anti = new ArrayList<>();
    anti.add(
        SchedulingPod.builder("default/web-0")
            .label("app", "web")
            .requests(500, GI)
            .podAntiAffinity(PodAffinityTerm.of(web, WellKnownLabels.HOSTNAME))
            .build());
    f.node("f", "m.2xl", "on-demand", anti);
    ClusterModel withAnti = f.model();

    // a moving pod with a zone spread
    PlannerFixture g = new PlannerFixture();
    g.node("a", "m.4xl", "on-demand", g.pods(2, 1000, GI));
    g.node(
        "b",
        "m.2xl",
        "on-demand",
        List.of(
            SchedulingPod.builder("default/spread-0")
                .label("app", "web")
                .requests(500, GI)
                .topologySpread(TopologySpreadConstraint.of(1, WellKnownLabels.ZONE, web))
                .build()));
    g.node("c", "m.8xl", "on-demand", g.pods(3, 500, GI));
    ClusterModel withSpread = g.model();

    ClusterModel withPending = plain.withPendingPods(f.pods(2, 1000, GI));

    // node "c" is already being deleted: its pods join every simulation
    List<ExistingNode> nodes = new ArrayList<>();
    for (ExistingNode n : plain.nodes()) {
      nodes.add(
          n.name().equals("c")
              ? new ExistingNode(
                  n.name(),
                  n.labels(),
                  n.taints(),
                  n.allocatable(),
                  n.requested(),
                  n.pods(),
                  n.inFlight(),
                  true,
                  n.nodePool())
              : n);
    }
    ClusterModel disrupting =
        new ClusterModel(
            nodes, plain.nodePools(), plain.candidates(), plain.policies(), plain.pools());

    // a drifted node: drift's simulation takes the same path
    PlannerFixture h = new PlannerFixture();
    h.node("a", "m.4xl", "on-demand", h.pods(2, 1000, GI));
    Candidate drifted = h.node("b", "m.4xl", "on-demand", h.pods(3, 1000, GI));
    h.node("c", "m.8xl", "on-demand", h.pods(2, 500, GI));
    h.replace(
        drifted,
        new Candidate(
            drifted.nodeClaim(),
            drifted.node(),
            drifted.nodePool(),
            drifted.instanceType(),
            drifted.capacityType(),
            drifted.zone(),
            drifted.price(),
            drifted.pods(),
            drifted.consolidatableSince(),
            "NodePoolDrifted",
            null,
            drifted.disruptionCost()));
    ClusterModel withDrift = h.model();

    Instant now = T0.plus(Duration.ofHours(1));
    Lockstep drift = lockstep(withDrift, now, 10);
    assertThat(drift.commands()).isPositive();
    for (ClusterModel m : List.of(plain, withAnti, withSpread, withPending, disrupting)) {
      assertThat(lockstep(m, now, 10).passes()).isPositive();
    }
    assertThat(lockstep(plain, now, 10).commands()).isPositive();
  }

  record Lockstep(int passes, int commands, ClusterModel end) {}

  /** Both planners plan every command of every pass on the same model; they must agree. */
  static Lockstep lockstep(ClusterModel model, Instant now, int maxPasses) {
    DisruptionPlanner fast = new DisruptionPlanner(new Scheduler(), OPTIONS);
    DisruptionPlanner whole = DisruptionPlanner.wholeCluster(new Scheduler(), OPTIONS);
    int passes = 0;
    int commands = 0;
    while (passes < maxPasses) {
      passes++;
      int found = 0;
      while (true) {
        Optional<Command> a = fast.plan(model, now);
        Optional<Command> b = whole.plan(model, now);
        assertThat(a).as("command %d", commands).isEqualTo(b);
        assertThat(fast.lastRejected()).isEqualTo(whole.lastRejected());
        if (a.isEmpty()) {
          break;
        }
        found++;
        commands++;
        model = ModelUpdates.apply(model, a.get(), now);
      }
      if (found == 0) {
        break;
      }
      model = FixedPoint.settle(model);
    }
    return new Lockstep(passes, commands, model);
  }

  /** Every pod of the start is on exactly one node at the end, and no node is over-full. */
  static void assertPlacementsHold(ClusterModel start, ClusterModel end) {
    Set<String> before = new HashSet<>();
    start.nodes().forEach(n -> n.pods().forEach(p -> before.add(p.id())));
    Map<String, String> where = new HashMap<>();
    for (ExistingNode n : end.nodes()) {
      long cpu = 0;
      long mem = 0;
      for (SchedulingPod p : n.pods()) {
        assertThat(where.put(p.id(), n.name())).as("pod %s placed twice", p.id()).isNull();
        cpu += p.requests().get(Resources.CPU);
        mem += p.requests().get(Resources.MEMORY);
      }
      assertThat(cpu)
          .as("cpu on %s", n.name())
          .isLessThanOrEqualTo(n.allocatable().get(Resources.CPU));
      assertThat(mem)
          .as("memory on %s", n.name())
          .isLessThanOrEqualTo(n.allocatable().get(Resources.MEMORY));
      assertThat((long) n.pods().size()).isLessThanOrEqualTo(n.allocatable().get(Resources.PODS));
    }
    assertThat(where.keySet()).isEqualTo(before);
  }
}
