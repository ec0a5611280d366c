package dev.dovetail.controllers.disruption.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Multi-node consolidation skips the solve of a prefix whose pods certainly need more than the
 * existing room and one new node: on generated clusters, at every pass of the way to the fixed
 * point, every prefix the shortcut answers is one the full evaluation finds no command for.
 */
class CertainlyNoCommandTest {
  private static final DisruptionPlanner.Options OPTIONS = DisruptionPlanner.Options.DEFAULT;

  @ParameterizedTest
  @ValueSource(longs = {42, 7})
  void everyPrefixTheShortcutAnswersHasNoCommand(long seed) {
    ClusterModel model =
        ConsolidationScenario.build(80, 800, ConsolidationScenario.catalog(), "10%", seed);
    Consolidation consolidation =
        new Consolidation(new Simulation(new Scheduler(), SchedulingOptions.DEFAULT), OPTIONS);
    DisruptionPlanner planner = new DisruptionPlanner(new Scheduler(), OPTIONS);
    int answered = 0;
    int evaluated = 0;
    for (int pass = 0; pass < 30; pass++) {
      List<Candidate> cs =
          consolidation.candidates(model, ConsolidationScenario.NOW, new HashMap<>());
      int most = Math.min(cs.size(), DisruptionPlanner.MULTI_NODE_MAX_CANDIDATES);
      for (int k = 2; k <= most; k += Math.max(1, k / 4)) {
        List<Candidate> prefix = cs.subList(0, k);
        if (consolidation.certainlyNoCommand(model, prefix)) {
          answered++;
          assertThat(
                  consolidation.evaluate(model, prefix, Method.MULTI_NODE_CONSOLIDATION).command())
              .as("pass %d, prefix %d", pass, k)
              .isNull();
        } else {
          evaluated++;
        }
      }
      int commands = 0;
      for (Optional<Command> c = planner.plan(model, ConsolidationScenario.NOW);
          c.isPresent();
          c = planner.plan(model, ConsolidationScenario.NOW)) {
        model = ModelUpdates.apply(model, c.get(), ConsolidationScenario.NOW);
        commands++;
      }
      if (commands == 0) {
        break;
      }
      model = FixedPoint.settle(model);
    }
    // both kinds occur: the shortcut is exercised and does not answer everything
    assertThat(answered).isPositive();
    assertThat(evaluated).isPositive();
  }
}
