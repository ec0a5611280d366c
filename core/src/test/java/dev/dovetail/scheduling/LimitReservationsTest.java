package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.GI;
import static dev.dovetail.scheduling.Fixtures.catalog;
import static dev.dovetail.scheduling.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitReservationsTest {

  private static EngineParts parts(long cpuLimitMillis, SchedulingPod... pods) {
    NodePoolTemplate np =
        new NodePoolTemplate(
            "limited",
            0,
            Requirements.none(),
            Map.of(),
            List.of(),
            List.of(),
            Resources.of(Resources.CPU, cpuLimitMillis),
            Resources.EMPTY,
            catalog(),
            List.of());
    return new EngineParts(SchedulingInput.of(List.of(pods), List.of(), List.of(np)));
  }

  @Test
  void aClaimHoldsTheLargestCapacityOfItsOptions() {
    // 6 cores: not enough for the 32-core types, so reservations are exact, not coarse
    EngineParts e = parts(6000, pod("ns/a", 1500, GI));
    ClaimBin c = e.openWith(0);
    assertThat(c.coarse).isFalse();
    long held = c.reserved.get(Resources.CPU);
    long largestOption = 0;
    for (int i : e.options.indices(e.pool(), c.bits, c.used, e.ctx.table.and(c.hard, c.soft))) {
      largestOption = Math.max(largestOption, e.pool().capacity[i][Dims.CPU]);
    }
    assertThat(held).isEqualTo(largestOption);
    assertThat(e.pool().remaining.get(Resources.CPU)).isEqualTo(6000 - held);
  }

  @Test
  void aClaimBeyondTheLimitIsRefused() {
    EngineParts e = parts(2000, pod("ns/a", 1500, GI), pod("ns/b", 1500, GI));
    e.openWith(0);
    ClaimBin second = e.claims.open(e.pool());
    assertThat(second.bits).isNull(); // no type fits the 0 cores left
  }

  @Test
  void plentyOfRoomReservesCoarsely() {
    // room for 1,250 of the largest (32-core) nodes: a claim holds one of those at once
    EngineParts e = parts(40_000_000, pod("ns/a", 1500, GI));
    ClaimBin c = e.openWith(0);
    assertThat(c.coarse).isTrue();
    assertThat(c.reserved.get(Resources.CPU)).isEqualTo(32_000L);
    assertThat(e.pool().remaining.get(Resources.CPU)).isEqualTo(40_000_000 - 32_000L);
  }

  @Test
  void roomForAFewLargestNodesOnlyIsReservedClaimByClaim() {
    // room for 31 of the largest nodes: below the headroom, so each claim holds its own options'
    // largest capacity (with a real catalog's 24 TiB type, coarse claims held a limit whole)
    EngineParts e = parts(1_000_000, pod("ns/a", 1500, GI));
    ClaimBin c = e.openWith(0);
    assertThat(c.coarse).isFalse();
    long largestOption = 0;
    for (int i : e.options.indices(e.pool(), c.bits, c.used, e.ctx.table.and(c.hard, c.soft))) {
      largestOption = Math.max(largestOption, e.pool().capacity[i][Dims.CPU]);
    }
    assertThat(c.reserved.get(Resources.CPU)).isEqualTo(largestOption);
  }
}
