package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.GI;
import static dev.dovetail.scheduling.Fixtures.pod;
import static dev.dovetail.scheduling.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodOrderTest {

  @Test
  void podsNeedingTheirOwnNodeFirstThenLargestFirst() {
    Requirements web = Requirements.of(Requirement.in("app", "web"));
    SchedulingPod own =
        SchedulingPod.builder("ns/own")
            .label("app", "web")
            .requests(100, GI)
            .podAntiAffinity(PodAffinityTerm.of(web, WellKnownLabels.HOSTNAME))
            .build();
    List<SchedulingPod> pods =
        List.of(
            pod("ns/small", 100, GI),
            pod("ns/big", 4000, 8 * GI),
            own,
            pod("ns/mid", 1000, 2 * GI));
    SolveContext ctx =
        SolveContext.compile(
            SchedulingInput.of(pods, List.of(), List.of(pool("default", Requirements.none()))),
            new CatalogCache());
    int[] order = PodOrder.of(ctx.classOf);
    assertThat(order).containsExactly(2, 1, 3, 0);
  }
}
