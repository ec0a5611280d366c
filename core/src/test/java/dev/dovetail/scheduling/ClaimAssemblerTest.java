package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.GI;
import static dev.dovetail.scheduling.Fixtures.pod;
import static dev.dovetail.scheduling.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimAssemblerTest {

  @Test
  void aClaimBecomesANodeClaimWithItsOptionsCheapestFirstAndNoHostname() {
    EngineParts e =
        new EngineParts(
            SchedulingInput.of(
                List.of(pod("ns/a", 3000, 4 * GI)),
                List.of(),
                List.of(pool("default", Requirements.none()))));
    ClaimBin c = e.openWith(0);
    NewNodeClaim n = new ClaimAssembler(e.ctx.table, e.ctx.dims, e.options, false).assemble(c);

    assertThat(n.hostname()).isEqualTo(c.hostname);
    assertThat(n.podIds()).containsExactly("ns/a");
    assertThat(n.requirements().get(WellKnownLabels.HOSTNAME)).isNull();
    List<String> names = new ArrayList<>();
    List<Double> prices = new ArrayList<>();
    for (InstanceType t : n.instanceTypeOptions()) {
      names.add(t.name());
      prices.add(t.cheapestOffering(n.requirements()).orElseThrow().price());
      assertThat(t.allocatable().get("cpu")).isGreaterThanOrEqualTo(3000);
    }
    assertThat(prices).isSorted();
    assertThat(n.instanceTypeOptions().get(0)).isSameAs(e.pool().types[c.cheapest]);
    assertThat(n.requirements().get(WellKnownLabels.INSTANCE_TYPE).values())
        .containsExactlyElementsOf(names);
    assertThat(n.cheapestPrice()).isEqualTo(prices.get(0));
  }

  @Test
  void aMetPreferenceDoesNotBecomeAHardRequirement() {
    SchedulingPod p =
        SchedulingPod.builder("ns/p")
            .requests(500, GI)
            .preferredNodeAffinity(
                1, Requirements.of(Requirement.in(WellKnownLabels.ARCH, "amd64")))
            .build();
    EngineParts e =
        new EngineParts(
            SchedulingInput.of(
                List.of(p), List.of(), List.of(pool("default", Requirements.none()))));
    ClaimBin c = e.openWith(0);
    NewNodeClaim n = new ClaimAssembler(e.ctx.table, e.ctx.dims, e.options, false).assemble(c);

    assertThat(n.instanceTypeOptions().get(0).name()).startsWith("c.");
    assertThat(n.instanceTypeOptions()).anyMatch(t -> t.name().startsWith("a."));
    assertThat(n.requirements().get(WellKnownLabels.ARCH)).isNull();
  }
}
