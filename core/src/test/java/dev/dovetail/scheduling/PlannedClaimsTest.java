package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.GI;
import static dev.dovetail.scheduling.Fixtures.pod;
import static dev.dovetail.scheduling.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirements;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannedClaimsTest {

  @Test
  void commitLandsThePodAndKeepsTheSlackIndexCurrent() {
    EngineParts e =
        new EngineParts(
            SchedulingInput.of(
                List.of(pod("ns/a", 1000, GI), pod("ns/b", 500, GI)),
                List.of(),
                List.of(pool("default", Requirements.none()))));
    ClaimBin c = e.openWith(0);
    assertThat(c.pods).containsExactly("ns/a");
    assertThat(c.hostname).isEqualTo("dovetail-new-1");
    long slack = e.pool().alloc[c.cheapest][Dims.CPU] - c.used[Dims.CPU];
    assertThat(c.slack).isEqualTo(slack);
    assertThat(e.claims.withSpareCpu(slack)).containsExactly(c);
    assertThat(e.claims.withSpareCpu(slack + 1)).isEmpty();

    e.commit(1, c);
    assertThat(c.pods).containsExactly("ns/a", "ns/b");
    assertThat(c.used[Dims.CPU]).isEqualTo(1500 + e.pool().overhead[Dims.CPU]);
    assertThat(e.claims.withSpareCpu(c.slack)).containsExactly(c);
    assertThat(e.claims.withSpareCpu(c.slack + 1)).isEmpty();
  }

  @Test
  void releaseTakesThePodOffAndDropsToTheGivenType() {
    EngineParts e =
        new EngineParts(
            SchedulingInput.of(
                List.of(pod("ns/a", 1500, GI), pod("ns/b", 1500, GI)),
                List.of(),
                List.of(pool("default", Requirements.none()))));
    ClaimBin c = e.openWith(0);
    int small = c.cheapest;
    e.commit(1, c);
    assertThat(c.cheapest).isGreaterThan(small);
    e.counts.add(e.cls(1), c, -1);
    String id = e.claims.release(c, 1, e.pool().mask(c.soft).clone(), small);
    assertThat(id).isEqualTo("ns/b");
    assertThat(c.pods).containsExactly("ns/a");
    assertThat(c.cheapest).isEqualTo(small);
    assertThat(c.used[Dims.CPU]).isEqualTo(1500 + e.pool().overhead[Dims.CPU]);
  }
}
