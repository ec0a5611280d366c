package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.GI;
import static dev.dovetail.scheduling.Fixtures.pod;
import static dev.dovetail.scheduling.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirements;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepairPassTest {

  private static EngineParts parts(SchedulingPod... pods) {
    return new EngineParts(
        SchedulingInput.of(
            List.of(pods), List.of(), List.of(pool("default", Requirements.none()))));
  }

  @Test
  void aPodThatForcedAnUpsizeMovesToAClaimWithRoomAndItsClaimShrinks() {
    EngineParts e =
        parts(pod("ns/big", 1800, GI), pod("ns/small", 1000, GI), pod("ns/other", 500, GI));
    ClaimBin a = e.openWith(0);
    int oneXl = a.cheapest;
    e.commit(1, a); // 2.8 cores: a needs the next size up
    assertThat(a.cheapest).isNotEqualTo(oneXl);
    ClaimBin b = e.openWith(2); // 0.5 of 1.9 cores used: room for the small pod
    RepairPass repair = new RepairPass(e.planner, e.claims, e.counts, e.ctx.input.pods());

    assertThat(repair.run()).isEqualTo(1);
    assertThat(a.pods).containsExactly("ns/big");
    assertThat(a.cheapest).isEqualTo(oneXl);
    assertThat(b.pods).containsExactlyInAnyOrder("ns/other", "ns/small");
    assertThat(b.cheapest).isEqualTo(oneXl);
  }

  @Test
  void nothingMovesWhenNoClaimHasRoomWithoutUpsizing() {
    EngineParts e =
        parts(pod("ns/big", 1800, GI), pod("ns/small", 1000, GI), pod("ns/x", 1500, GI));
    ClaimBin a = e.openWith(0);
    e.commit(1, a);
    ClaimBin b = e.openWith(2);
    RepairPass repair = new RepairPass(e.planner, e.claims, e.counts, e.ctx.input.pods());

    assertThat(repair.run()).isZero();
    assertThat(a.pods).containsExactly("ns/big", "ns/small");
    assertThat(b.pods).containsExactly("ns/x");
  }
}
