package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.GI;
import static dev.dovetail.scheduling.Fixtures.pod;
import static dev.dovetail.scheduling.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimPlannerTest {

  private static EngineParts parts(SchedulingPod... pods) {
    return new EngineParts(
        SchedulingInput.of(
            List.of(pods), List.of(), List.of(pool("default", Requirements.none()))));
  }

  @Test
  void planPicksTheCheapestFittingTypeAndChangesNothing() {
    EngineParts e = parts(pod("ns/a", 1500, 2 * GI));
    ClaimBin c = e.claims.open(e.pool());
    long[] usedBefore = c.used.clone();
    Plan p = e.planner.plan(c, e.cls(0), e.strict(0));
    assertThat(p.ok()).isTrue();
    assertThat(e.pool().types[p.cheapest()].name()).isEqualTo("a.1xl");
    assertThat(c.used).containsExactly(usedBefore);
    assertThat(c.pods).isEmpty();
  }

  @Test
  void aPodLargerThanEveryTypeHasNoRoom() {
    EngineParts e = parts(pod("ns/huge", 100_000, 2 * GI));
    Plan p = e.planner.plan(e.claims.open(e.pool()), e.cls(0), e.strict(0));
    assertThat(p.ok()).isFalse();
    assertThat(p.failure().kind()).isEqualTo(Plan.Kind.NO_ROOM);
    assertThat(p.failure().render()).isEqualTo(Plan.ROOM);
  }

  @Test
  void aSelectorNoTypeHasIsNoCompatibleType() {
    EngineParts e =
        parts(
            SchedulingPod.builder("ns/s390x")
                .requests(100, GI)
                .nodeSelector(WellKnownLabels.ARCH, "s390x")
                .build());
    Plan p = e.planner.plan(e.claims.open(e.pool()), e.cls(0), e.strict(0));
    assertThat(p.failure().kind()).isEqualTo(Plan.Kind.NO_COMPATIBLE_TYPE);
    assertThat(p.failure().render()).startsWith(Plan.NO_COMPAT);
  }

  @Test
  void aTakenHostPortFailsThePlan() {
    SchedulingPod a = SchedulingPod.builder("ns/a").requests(100, GI).hostPort(port()).build();
    SchedulingPod b = SchedulingPod.builder("ns/b").requests(200, GI).hostPort(port()).build();
    EngineParts e = parts(a, b);
    ClaimBin c = e.openWith(0);
    Plan p = e.planner.plan(c, e.cls(1), e.strict(1));
    assertThat(p).isSameAs(Plan.PORT_CONFLICT);
  }

  @Test
  void upsizingIsPlannedWhenThePodNoLongerFitsTheCurrentType() {
    EngineParts e = parts(pod("ns/a", 1500, 2 * GI), pod("ns/b", 1500, 2 * GI));
    ClaimBin c = e.openWith(0);
    int before = c.cheapest;
    Plan p = e.planner.plan(c, e.cls(1), e.strict(1));
    assertThat(p.ok()).isTrue();
    assertThat(p.cheapest()).isGreaterThan(before);
    assertThat(e.pool().alloc[p.cheapest()][Dims.CPU]).isGreaterThanOrEqualTo(3000);
  }

  private static HostPort port() {
    return HostPort.tcp(8080);
  }
}
