package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo's NodePool limits leave room for the demo's workload at every size: fixed at the
 * 1,000-pod values, they stopped {@code bench provisioning --pods 20000} at ~4,800 pods bound
 * (every other pod blocked by a limit) and made it look like a stalled controller.
 */
class DemoNodePoolsTest {
  private static final NodeClassReference REF =
      new NodeClassReference("karpenter.dovetail.dev", "SimulatedNodeClass", "default");

  /**
   * Half again over the pods' requests: nodes carry system overhead and a controller path that sees
   * pods a few at a time packs them onto small nodes.
   */
  private static final BigDecimal ROOM = new BigDecimal("1.5");

  @ParameterizedTest
  @ValueSource(ints = {1, 500, 1000, 1001, 2000, 20000, 50000})
  void theWorkloadFitsWithinTheLimitsWithRoom(int pods) {
    List<Pod> workload = Workload.pods(pods, 42);
    Map<String, NodePool> byName = byName(DemoNodePools.all(REF, pods));
    BigDecimal all = BigDecimal.ZERO;
    BigDecimal spotOnly = BigDecimal.ZERO;
    for (Pod p : workload) {
      BigDecimal cpu = cpu(p);
      all = all.add(cpu);
      Map<String, String> selector = p.getSpec().getNodeSelector();
      if (selector != null && "spot".equals(selector.get("karpenter.sh/capacity-type"))) {
        spotOnly = spotOnly.add(cpu);
      }
    }
    BigDecimal general = limit(byName.get("general"), "cpu");
    BigDecimal spot = limit(byName.get("spot"), "cpu");

    assertThat(general.add(spot)).isGreaterThanOrEqualTo(all.multiply(ROOM));
    assertThat(spot).isGreaterThanOrEqualTo(spotOnly.multiply(ROOM));
  }

  @Test
  void upToAThousandPodsTheLimitsAreTheDemosOwn() {
    Map<String, NodePool> small = byName(DemoNodePools.all(REF, 1000));
    Map<String, NodePool> fixed = byName(DemoNodePools.all(REF));

    assertThat(limit(small.get("general"), "cpu")).isEqualByComparingTo("2000");
    assertThat(limit(small.get("spot"), "cpu")).isEqualByComparingTo("500");
    assertThat(limit(small.get("gpu"), "nvidia.com/gpu")).isEqualByComparingTo("16");
    assertThat(limit(fixed.get("general"), "cpu")).isEqualByComparingTo("2000");
  }

  @Test
  void aNegativeWorkloadIsRefused() {
    assertThatThrownBy(() -> DemoNodePools.all(REF, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pods must be >= 0");
  }

  private static Map<String, NodePool> byName(List<NodePool> pools) {
    return pools.stream()
        .collect(java.util.stream.Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
  }

  private static BigDecimal limit(NodePool pool, String resource) {
    return pool.getSpec().getLimits().get(resource).getNumericalAmount();
  }

  private static BigDecimal cpu(Pod p) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Container c : p.getSpec().getContainers()) {
      Quantity q = c.getResources().getRequests().get("cpu");
      if (q != null) {
        sum = sum.add(q.getNumericalAmount());
      }
    }
    return sum;
  }
}
