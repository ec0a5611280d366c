package dev.dovetail.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingInput;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class LowerBoundTest {
  private final List<InstanceType> types = BenchmarkWorkload.instanceTypes(400);

  @Test
  void theAntiAffinePodsOfTheDiverseWorkloadForceOneNodeEach() {
    assertThat(BenchmarkWorkload.forcedNodes(BenchmarkWorkload.diversePods(1000, 42)))
        .isEqualTo(200);
    assertThat(BenchmarkWorkload.forcedNodes(BenchmarkWorkload.preferencePods(100, 42)))
        .isEqualTo(1); // preferred anti-affinity forces nothing
  }

  @Test
  void countingNodeOverheadRaisesTheFractionalBoundByTheForcedNodesOverhead() {
    List<SchedulingPod> pods = BenchmarkWorkload.diversePods(1000, 42);
    double fractional = BenchmarkWorkload.lowerBound(pods, types);
    double withNodes = BenchmarkWorkload.lowerBoundWithNodes(pods, types);
    // 200 forced nodes x 100m kube-reserved: about 20 cores more than the pods request
    assertThat(withNodes).isGreaterThan(fractional);
    long cpu = pods.stream().mapToLong(p -> p.requests().get("cpu")).sum();
    // fake-it-0 has one core (and 2Gi); every fake type's price is linear in its size
    double perCore = types.get(0).offerings().get(0).price();
    assertThat(withNodes)
        .isGreaterThanOrEqualTo((cpu + 200 * 100) / 1000.0 * perCore - 1e-9)
        .isCloseTo((cpu + 200 * 100) / 1000.0 * perCore, within(0.05 * withNodes));
  }

  @Test
  void theBoundNeverExceedsWhatTheEnginePays() {
    for (int n : new int[] {1, 50, 500}) {
      List<SchedulingPod> pods = BenchmarkWorkload.diversePods(n, 42);
      SchedulingResult r = solve(pods);
      assertThat(BenchmarkWorkload.lowerBoundWithNodes(pods, types))
          .as("%d pods", n)
          .isLessThanOrEqualTo(BenchmarkWorkload.cost(r));
    }
  }

  private SchedulingResult solve(List<SchedulingPod> pods) {
    return new Scheduler()
        .solve(
            new SchedulingInput(
                pods,
                List.of(),
                List.of(BenchmarkWorkload.nodePool(types)),
                SchedulingOptions.DEFAULT));
  }
}
