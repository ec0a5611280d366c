package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.Toleration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cheap test that lets a waiting pod skip the engine: it must never refuse a pod that fits. */
class RoomHintTest {
  private static final long GI = 1L << 30;

  @Test
  void aPodFitsTheFreeRoomOfSomeNode() {
    RoomHint hint = new RoomHint(List.of(node("full", 4000, 3500, Map.of(), List.of())));
    assertThat(hint.couldFit(pod(500, Map.of(), List.of()))).isTrue();
    assertThat(hint.couldFit(pod(501, Map.of(), List.of()))).isFalse();
  }

  @Test
  void itsNodeSelectorAndTheNodesTaintsCount() {
    Taint gpu = new Taint("nvidia.com/gpu", "", "NoSchedule");
    RoomHint hint =
        new RoomHint(List.of(node("gpu", 8000, 0, Map.of("arch", "arm64"), List.of(gpu))));

    assertThat(hint.couldFit(pod(1000, Map.of(), List.of()))).isFalse();
    Toleration tolerates = new Toleration("nvidia.com/gpu", "Exists", "", "NoSchedule");
    assertThat(hint.couldFit(pod(1000, Map.of(), List.of(tolerates)))).isTrue();
    assertThat(hint.couldFit(pod(1000, Map.of("arch", "amd64"), List.of(tolerates)))).isFalse();
    assertThat(hint.couldFit(pod(1000, Map.of("arch", "arm64"), List.of(tolerates)))).isTrue();
  }

  @Test
  void aResourceTheNodeDoesNotListIsLeftToTheEngineAndANodeBeingDeletedTakesNothing() {
    ExistingNode noPodsListed =
        new ExistingNode(
            "n",
            Map.of(),
            List.of(),
            Resources.of(Resources.CPU, 4000L, Resources.MEMORY, 16 * GI),
            Resources.EMPTY,
            List.of(),
            false,
            false,
            null);
    assertThat(new RoomHint(List.of(noPodsListed)).couldFit(pod(100, Map.of(), List.of())))
        .isTrue();

    ExistingNode deleting =
        new ExistingNode(
            "d",
            Map.of(),
            List.of(),
            noPodsListed.allocatable(),
            Resources.EMPTY,
            List.of(),
            false,
            true,
            null);
    assertThat(new RoomHint(List.of(deleting)).couldFit(pod(100, Map.of(), List.of()))).isFalse();
  }

  private static ExistingNode node(
      String name, long cpu, long usedCpu, Map<String, String> labels, List<Taint> taints) {
    return new ExistingNode(
        name,
        labels,
        taints,
        Resources.of(Resources.CPU, cpu, Resources.MEMORY, 16 * GI, Resources.PODS, 110L),
        Resources.of(Resources.CPU, usedCpu, Resources.MEMORY, GI, Resources.PODS, 3L),
        List.of(),
        false,
        false,
        null);
  }

  private static SchedulingPod pod(
      long cpuMillis, Map<String, String> selector, List<Toleration> tolerations) {
    return SchedulingPod.builder("default/p")
        .requests(cpuMillis, GI)
        .nodeSelector(selector)
        .tolerations(tolerations)
        .build();
  }
}
