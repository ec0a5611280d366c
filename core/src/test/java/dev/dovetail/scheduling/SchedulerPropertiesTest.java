package dev.dovetail.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Random workloads, NodePools and catalogs: every result must pass the independent verifier. */
class SchedulerPropertiesTest {
  private final Scheduler scheduler = new Scheduler();

  @Property(tries = 300)
  void everyResultIsValid(@ForAll long seed) {
    SchedulingInput in = RandomScenario.generate(seed);
    SchedulingResult out = scheduler.solve(in);
    assertThat(PlacementVerifier.verify(in, out)).as("seed %d", seed).isEmpty();
  }

  @Property(tries = 200)
  void cheapestOptionIsTheCheapestThatFits(@ForAll long seed) {
    SchedulingInput in = RandomScenario.generate(seed);
    SchedulingResult out = scheduler.solve(in);
    Map<String, NodePoolTemplate> pools = new HashMap<>();
    in.nodePools().forEach(p -> pools.put(p.name(), p));
    Map<String, SchedulingPod> pods = new HashMap<>();
    in.pods().forEach(p -> pods.put(p.id(), p));
    for (NewNodeClaim c : out.newNodeClaims()) {
      NodePoolTemplate pool = pools.get(c.nodePool());
      List<SchedulingPod> ps = new ArrayList<>();
      boolean prefs = false;
      for (String id : c.podIds()) {
        ps.add(pods.get(id));
        prefs |= !pods.get(id).preferredNodeAffinity().isEmpty();
      }
      if (prefs || !pool.limits().isEmpty()) {
        continue; // preferences and limits may rightly exclude a cheaper type
      }
      double cheapest = PlacementVerifier.cheapestFitting(c, pool, ps);
      assertThat(c.cheapestPrice())
          .as("seed %d claim %s", seed, c.hostname())
          .isLessThanOrEqualTo(cheapest + 1e-9);
    }
  }

  @Property(tries = 100)
  void identicalInputsGiveIdenticalResults(@ForAll long seed) {
    SchedulingInput in = RandomScenario.generate(seed);
    assertThat(scheduler.solve(in)).isEqualTo(scheduler.solve(in));
  }
}
