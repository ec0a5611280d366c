package dev.dovetail.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingInput;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExistingClusterTest {
  private final List<InstanceType> types = BenchmarkWorkload.instanceTypes(50);
  private final NodePoolTemplate pool = BenchmarkWorkload.nodePool(types);
  private final Scheduler scheduler = new Scheduler();

  @Test
  void everyClaimBecomesALabelledNodeHoldingItsPods() {
    List<SchedulingPod> old = BenchmarkWorkload.diversePods(500, 43, "existing-");
    SchedulingResult placed = scheduler.solve(SchedulingInput.of(old, List.of(), List.of(pool)));
    List<ExistingNode> nodes = ExistingCluster.realise(placed, old);

    assertThat(nodes).hasSize(placed.newNodeClaims().size());
    Set<String> bound = new HashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      ExistingNode n = nodes.get(i);
      NewNodeClaim c = placed.newNodeClaims().get(i);
      assertThat(n.labels())
          .containsEntry(WellKnownLabels.HOSTNAME, n.name())
          .containsEntry(WellKnownLabels.INSTANCE_TYPE, c.instanceTypeOptions().get(0).name())
          .containsKey(WellKnownLabels.ZONE);
      assertThat(n.inFlight()).isFalse();
      for (SchedulingPod p : n.pods()) {
        assertThat(bound.add(p.id())).isTrue();
      }
      assertThat(n.requested().get(Resources.CPU))
          .isLessThanOrEqualTo(n.allocatable().get(Resources.CPU));
    }
    assertThat(bound).hasSize(old.size());
    assertThat(ExistingCluster.cost(nodes, types))
        .isCloseTo(BenchmarkWorkload.cost(placed), org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void newPodsSolveAgainstTheExistingCluster() {
    List<SchedulingPod> old = BenchmarkWorkload.diversePods(500, 43, "existing-");
    List<ExistingNode> nodes =
        ExistingCluster.realise(
            scheduler.solve(SchedulingInput.of(old, List.of(), List.of(pool))), old);
    List<SchedulingPod> fresh = BenchmarkWorkload.diversePods(200, 42);
    SchedulingResult r = scheduler.solve(SchedulingInput.of(fresh, nodes, List.of(pool)));

    assertThat(r.unschedulable()).isEmpty();
    int onClaims = r.newNodeClaims().stream().mapToInt(c -> c.podIds().size()).sum();
    assertThat(r.placements().size() + onClaims).isEqualTo(fresh.size());
    // hostname anti-affinity: no new nginx pod joins a node that already runs one
    Set<String> nginxNodes = new HashSet<>();
    for (ExistingNode n : nodes) {
      if (n.pods().stream().anyMatch(p -> "nginx".equals(p.labels().get("app")))) {
        nginxNodes.add(n.name());
      }
    }
    for (SchedulingPod p : fresh) {
      if ("nginx".equals(p.labels().get("app")) && r.placements().containsKey(p.id())) {
        assertThat(nginxNodes).doesNotContain(r.placements().get(p.id()));
      }
    }
  }
}
