package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.GI;
import static dev.dovetail.scheduling.Fixtures.catalog;
import static dev.dovetail.scheduling.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogCacheTest {
  private final Requirements base = Requirements.of(Requirement.in(WellKnownLabels.NODE_POOL, "p"));

  @Test
  void theSameTypesAreCompiledOnce() {
    List<InstanceType> types = catalog();
    CatalogCache cache = new CatalogCache();
    Dims dims = new Dims();
    CompiledCatalog first =
        cache.get(NodePoolTemplate.of("p", Requirements.none(), types), base, dims);
    // a new template and a new list, but the same InstanceType objects: the same version
    CompiledCatalog again =
        cache.get(
            NodePoolTemplate.of("p", Requirements.none(), new ArrayList<>(types)), base, dims);
    assertThat(again).isSameAs(first);
  }

  @Test
  void aNewCatalogVersionOrOtherDimsAreCompiledAgain() {
    List<InstanceType> types = catalog();
    CatalogCache cache = new CatalogCache();
    Dims dims = new Dims();
    CompiledCatalog first =
        cache.get(NodePoolTemplate.of("p", Requirements.none(), types), base, dims);

    List<InstanceType> next = new ArrayList<>(types);
    InstanceType t = next.get(0);
    next.set(
        0, new InstanceType(t.name(), t.requirements(), t.offerings(), t.capacity(), t.overhead()));
    CompiledCatalog changed =
        cache.get(NodePoolTemplate.of("p", Requirements.none(), next), base, dims);
    assertThat(changed).isNotSameAs(first);

    Dims gpu = new Dims();
    gpu.add("nvidia.com/gpu");
    CompiledCatalog withGpu =
        cache.get(NodePoolTemplate.of("p", Requirements.none(), next), base, gpu);
    assertThat(withGpu).isNotSameAs(changed);
    assertThat(withGpu.capacity[0]).hasSize(5);
  }

  @Test
  void warmSolvesAnswerAsColdOnes() {
    NodePoolTemplate np = NodePoolTemplate.of("default", Requirements.none(), catalog());
    Scheduler warm = new Scheduler();
    for (int round = 0; round < 3; round++) {
      List<SchedulingPod> pods = new ArrayList<>();
      for (int i = 0; i <= round * 7; i++) {
        pods.add(
            SchedulingPod.builder("ns/p" + round + "-" + i)
                .requests(Resources.of(Resources.CPU, 300L * (i % 5 + 1), Resources.MEMORY, GI))
                .nodeSelector(
                    i % 2 == 0
                        ? java.util.Map.of()
                        : java.util.Map.of(WellKnownLabels.ARCH, "amd64"))
                .build());
      }
      pods.add(pod("ns/last" + round, 2000, 3 * GI));
      SchedulingInput input = SchedulingInput.of(pods, List.of(), List.of(np));
      assertThat(warm.solve(input)).isEqualTo(new Scheduler().solve(input));
    }
  }
}
