package dev.dovetail.controllers.disruption.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.SchedulingPod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelUpdatesTest {

  /**
   * The order of a node's pods is the order later simulations place them in, so it must not come
   * from the placements map, whose iteration order (an immutable map's) changes from JVM to JVM.
   */
  @Test
  void movedPodsArriveInTheCandidatesOrderWhateverThePlacementsMapsOrder() {
    ClusterModel model =
        ConsolidationScenario.build(4, 40, ConsolidationScenario.catalog(), "100%", 5);
    Candidate a = model.candidates().get(0);
    Candidate b = model.candidates().get(1);
    Map<String, String> placements = new LinkedHashMap<>();
    List<SchedulingPod> moved = new ArrayList<>(a.pods());
    moved.addAll(b.pods());
    for (int i = moved.size() - 1; i >= 0; i--) {
      placements.put(moved.get(i).id(), "node-3");
    }
    Command cmd =
        new Command(
            Method.MULTI_NODE_CONSOLIDATION,
            List.of(a, b),
            List.of(),
            a.price() + b.price(),
            0,
            Map.of(),
            placements);

    ClusterModel after = ModelUpdates.apply(model, cmd, ConsolidationScenario.NOW);

    ExistingNode target =
        after.nodes().stream().filter(n -> n.name().equals("node-3")).findFirst().orElseThrow();
    List<SchedulingPod> expected = new ArrayList<>(model.candidates().get(3).pods());
    expected.addAll(moved);
    assertThat(target.pods()).containsExactlyElementsOf(expected);
    Candidate targetCandidate =
        after.candidates().stream()
            .filter(c -> c.node().equals("node-3"))
            .findFirst()
            .orElseThrow();
    assertThat(targetCandidate.pods()).containsExactlyElementsOf(expected);
  }
}
