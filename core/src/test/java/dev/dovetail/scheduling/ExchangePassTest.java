package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.GI;
import static dev.dovetail.scheduling.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirements;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExchangePassTest {

  private static EngineParts parts(SchedulingPod... pods) {
    return new EngineParts(
        SchedulingInput.of(
            List.of(pods), List.of(), List.of(pool("default", Requirements.none()))));
  }

  private static SchedulingPod pod(String id, String app, long cpuMillis, long memBytes) {
    return SchedulingPod.builder(id).label("app", app).requests(cpuMillis, memBytes).build();
  }

  private static double price(ClaimBin... cs) {
    double sum = 0;
    for (ClaimBin c : cs) {
      sum += c.pool.price[c.cheapest];
    }
    return sum;
  }

  @Test
  void podsThatDifferOnlyInRequestsAreExchangedWhenThatMakesThePairCheaper() {
    EngineParts e =
        parts(
            pod("ns/big-1", "web", 1500, GI),
            pod("ns/big-2", "web", 1500, GI),
            pod("ns/small-1", "web", 100, GI),
            pod("ns/small-2", "web", 100, GI));
    ClaimBin a = e.openWith(0);
    int oneXl = a.cheapest;
    e.commit(1, a); // 3 cores: the next size up
    ClaimBin b = e.openWith(2);
    e.commit(3, b);
    assertThat(a.cheapest).isNotEqualTo(oneXl);
    double before = price(a, b);

    int kept = new ExchangePass(e.claims, 50).run();

    assertThat(kept).isPositive();
    assertThat(price(a, b)).isLessThan(before);
    assertThat(a.cheapest).isEqualTo(oneXl);
    assertThat(b.cheapest).isEqualTo(oneXl);
    // one big pod on each claim, and each claim's usage is the sum of its pods' requests
    assertThat(a.pods).hasSize(2).containsOnlyOnce(a.pods.get(0));
    assertThat(List.of(a.pods.get(0), a.pods.get(1), b.pods.get(0), b.pods.get(1)))
        .containsExactlyInAnyOrder("ns/big-1", "ns/big-2", "ns/small-1", "ns/small-2");
    for (ClaimBin c : List.of(a, b)) {
      assertThat(c.pods.stream().filter(id -> id.startsWith("ns/big"))).hasSize(1);
      long cpu = 0;
      for (PodClass cls : c.podClasses) {
        cpu += cls.req[Dims.CPU];
      }
      assertThat(c.used[Dims.CPU] - c.pool.overhead[Dims.CPU]).isEqualTo(cpu);
    }
  }

  @Test
  void podsWithDifferentLabelsAreNeverExchanged() {
    EngineParts e =
        parts(
            pod("ns/big-1", "web", 1500, GI),
            pod("ns/big-2", "api", 1500, GI),
            pod("ns/small-1", "db", 100, GI),
            pod("ns/small-2", "cache", 100, GI));
    ClaimBin a = e.openWith(0);
    e.commit(1, a);
    ClaimBin b = e.openWith(2);
    e.commit(3, b);

    assertThat(new ExchangePass(e.claims, 50).run()).isZero();
    assertThat(a.pods).containsExactly("ns/big-1", "ns/big-2");
    assertThat(b.pods).containsExactly("ns/small-1", "ns/small-2");
  }
}
