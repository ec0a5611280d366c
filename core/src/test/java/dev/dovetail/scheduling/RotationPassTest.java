package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.MI;
import static dev.dovetail.scheduling.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirements;
import java.util.List;
import org.junit.jupiter.api.Test;

class RotationPassTest {

  private static EngineParts parts(SchedulingPod... pods) {
    return new EngineParts(
        SchedulingInput.of(
            List.of(pods), List.of(), List.of(pool("default", Requirements.none()))));
  }

  private static SchedulingPod pod(String id, String app, long cpuMillis) {
    return SchedulingPod.builder(id).label("app", app).requests(cpuMillis, 100 * MI).build();
  }

  private static double price(ClaimBin... cs) {
    double sum = 0;
    for (ClaimBin c : cs) {
      sum += c.pool.price[c.cheapest];
    }
    return sum;
  }

  private static long podCpu(ClaimBin c) {
    long cpu = 0;
    for (PodClass cls : c.podClasses) {
      cpu += cls.req[Dims.CPU];
    }
    return cpu;
  }

  /**
   * Three claims (1.9 and 3.9 allocatable cores for the two smallest sizes) each hold one web pod
   * (x 1,000m, y 300m, z 600m) beside a filler: a must take y to drop a size, b can take z but not
   * x, c can take x. No exchange of two web pods lowers the price at once (a and b: a drops, b
   * grows two sizes); rotating x to c, z to b and y to a does.
   */
  @Test
  void webPodsRotateAroundThreeClaimsWhenThatDropsOneASize() {
    EngineParts e =
        parts(
            pod("ns/fill-a", "fill-a", 1500),
            pod("ns/x", "web", 1000),
            pod("ns/fill-b", "fill-b", 3000),
            pod("ns/y", "web", 300),
            pod("ns/fill-c", "fill-c", 2000),
            pod("ns/z", "web", 600));
    ClaimBin a = e.openWith(0);
    int small = a.cheapest;
    e.commit(1, a);
    ClaimBin b = e.openWith(2);
    e.commit(3, b);
    ClaimBin c = e.openWith(4);
    e.commit(5, c);
    int mid = c.cheapest;
    assertThat(a.cheapest).isEqualTo(mid).isNotEqualTo(small);
    assertThat(b.cheapest).isEqualTo(mid);
    double before = price(a, b, c);

    int kept = new RotationPass(e.claims).run();

    assertThat(kept).isPositive();
    assertThat(price(a, b, c)).isLessThan(before);
    assertThat(a.cheapest).isEqualTo(small);
    assertThat(a.pods).containsExactly("ns/fill-a", "ns/y");
    assertThat(b.pods).containsExactly("ns/fill-b", "ns/z");
    assertThat(c.pods).containsExactly("ns/fill-c", "ns/x");
    for (ClaimBin claim : List.of(a, b, c)) {
      assertThat(claim.used[Dims.CPU] - claim.pool.overhead[Dims.CPU]).isEqualTo(podCpu(claim));
      assertThat(claim.slack)
          .isEqualTo(claim.pool.alloc[claim.cheapest][Dims.CPU] - claim.used[Dims.CPU]);
    }
  }

  @Test
  void podsWithDifferentLabelsAreNeverRotated() {
    EngineParts e =
        parts(
            pod("ns/fill-a", "fill-a", 1500),
            pod("ns/x", "web", 1000),
            pod("ns/fill-b", "fill-b", 3000),
            pod("ns/y", "api", 300),
            pod("ns/fill-c", "fill-c", 2000),
            pod("ns/z", "db", 600));
    ClaimBin a = e.openWith(0);
    e.commit(1, a);
    ClaimBin b = e.openWith(2);
    e.commit(3, b);
    ClaimBin c = e.openWith(4);
    e.commit(5, c);
    double before = price(a, b, c);

    assertThat(new RotationPass(e.claims).run()).isZero();
    assertThat(price(a, b, c)).isEqualTo(before);
    assertThat(a.pods).containsExactly("ns/fill-a", "ns/x");
    assertThat(b.pods).containsExactly("ns/fill-b", "ns/y");
    assertThat(c.pods).containsExactly("ns/fill-c", "ns/z");
  }
}
