package dev.dovetail.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.operator.Settings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a chaos run's cost comparison rests on: one NodePool choosing capacity by price (no weight
 * preferring on-demand over spot, see {@link ChaosNodePools}), spot-to-spot consolidation on and
 * the unavailable-offerings TTL compressed like the run's other timers.
 */
class ChaosNodePoolsTest {
  private final List<NodePool> pools = ChaosNodePools.all(new NodeClassReference());

  @Test
  void onePoolOffersBothCapacityTypesSoNoWeightRanksOnDemandAboveSpot() {
    List<NodePool> untainted =
        pools.stream()
            .filter(p -> p.getSpec().getTemplate().getSpec().getTaints() == null)
            .toList();
    assertThat(untainted).singleElement();
    assertThat(values(untainted.get(0), "karpenter.sh/capacity-type"))
        .containsExactlyInAnyOrder("spot", "on-demand");
    assertThat(values(untainted.get(0), "kubernetes.io/arch"))
        .containsExactlyInAnyOrder("amd64", "arm64");
  }

  @Test
  void gpuPodsHaveATaintedPoolOfTheirOwn() {
    assertThat(pools)
        .filteredOn(p -> p.getSpec().getTemplate().getSpec().getTaints() != null)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.getSpec().getTemplate().getSpec().getTaints())
                    .anyMatch(t -> t.getKey().equals("nvidia.com/gpu")));
  }

  @Test
  void consolidationMayReplaceSpotWithCheaperSpotAndRefusedOfferingsComeBackWithinARun() {
    Settings s = ChaosCluster.Options.CHAOS.settings();
    assertThat(s.featureGates().spotToSpotConsolidation()).isTrue();
    assertThat(s.featureGates().nodeRepair()).isTrue();
    assertThat(s.unavailableOfferingsTtl()).isLessThanOrEqualTo(Duration.ofSeconds(15));
    assertThat(ChaosCluster.Options.CHAOS.withNodeRepair(false).settings().featureGates())
        .satisfies(g -> assertThat(g.nodeRepair()).isFalse())
        .satisfies(g -> assertThat(g.spotToSpotConsolidation()).isTrue());
  }

  private static List<String> values(NodePool pool, String key) {
    return pool.getSpec().getTemplate().getSpec().getRequirements().stream()
        .filter(r -> r.getKey().equals(key))
        .map(NodeSelectorRequirementWithMinValues::getValues)
        .findFirst()
        .orElseThrow();
  }
}
