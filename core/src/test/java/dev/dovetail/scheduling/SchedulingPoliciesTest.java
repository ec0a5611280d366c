package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.GI;
import static dev.dovetail.scheduling.Fixtures.catalog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Karpenter's scheduling policies as the engine applies them: {@code --preference-policy}
 * (Respect/Ignore) and {@code --min-values-policy} (Strict/BestEffort).
 */
class SchedulingPoliciesTest {
  private final Scheduler scheduler = new Scheduler();

  /** Five distinct instance types wanted; only the three 16xl types hold 20 cores. */
  private static final NodePoolTemplate FIVE_TYPES =
      NodePoolTemplate.of(
          "five",
          Requirements.of(
              Requirement.of(WellKnownLabels.INSTANCE_TYPE, Operator.Exists, List.of(), 5)),
          catalog());

  private SchedulingResult solve(SchedulingPod pod, NodePoolTemplate pool, SchedulingOptions o) {
    SchedulingInput in = new SchedulingInput(List.of(pod), List.of(), List.of(pool), o);
    SchedulingResult r = scheduler.solve(in);
    assertThat(PlacementVerifier.verify(in, r)).isEmpty();
    return r;
  }

  private static SchedulingPod big() {
    return SchedulingPod.builder("big").requests(20_000, 10 * GI).build();
  }

  @Test
  void strictMinValuesRefusesAClaimWhoseTypesCannotMeetThem() {
    SchedulingResult r = solve(big(), FIVE_TYPES, SchedulingOptions.DEFAULT);
    assertThat(r.newNodeClaims()).isEmpty();
    assertThat(r.unschedulable()).containsKey("big");
    assertThat(r.unschedulable().get("big")).contains("minValues");
  }

  @Test
  void bestEffortMinValuesLaunchesWithTheMinValuesLoweredAndMarksTheClaim() {
    SchedulingResult r =
        solve(big(), FIVE_TYPES, SchedulingOptions.DEFAULT.withRelaxMinValues(true));
    assertThat(r.unschedulable()).isEmpty();
    NewNodeClaim c = r.newNodeClaims().get(0);
    assertThat(c.minValuesRelaxed()).isTrue();
    assertThat(c.instanceTypeOptions().stream().map(InstanceType::name))
        .containsExactlyInAnyOrder("a.16xl", "c.16xl", "m.16xl");
    // the NodeClaim's requirement says what was actually met (upstream lowers it the same way)
    assertThat(c.requirements().get(WellKnownLabels.INSTANCE_TYPE).minValues()).isEqualTo(3);
  }

  @Test
  void bestEffortLeavesMinValuesThatCanBeMetAlone() {
    SchedulingPod small = SchedulingPod.builder("small").requests(500, GI).build();
    SchedulingResult r =
        solve(small, FIVE_TYPES, SchedulingOptions.DEFAULT.withRelaxMinValues(true));
    NewNodeClaim c = r.newNodeClaims().get(0);
    assertThat(c.minValuesRelaxed()).isFalse();
    assertThat(c.requirements().get(WellKnownLabels.INSTANCE_TYPE).minValues()).isEqualTo(5);
    assertThat(c.instanceTypeOptions().size()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void respectPreferencesPutsPreferredTypesFirstIgnoreDoesNot() {
    // amd64 is preferred; the cheapest type overall is arm64 (a.1xl)
    SchedulingPod p =
        SchedulingPod.builder("p")
            .requests(500, GI)
            .preferredNodeAffinity(
                50, Requirements.of(Requirement.in(WellKnownLabels.ARCH, "amd64")))
            .build();
    NodePoolTemplate pool = NodePoolTemplate.of("default", Requirements.none(), catalog());

    NewNodeClaim respected = solve(p, pool, SchedulingOptions.DEFAULT).newNodeClaims().get(0);
    assertThat(arch(respected.instanceTypeOptions().get(0))).isEqualTo("amd64");

    NewNodeClaim ignored =
        solve(p, pool, SchedulingOptions.DEFAULT.withIgnorePreferences(true))
            .newNodeClaims()
            .get(0);
    assertThat(ignored.instanceTypeOptions().get(0).name()).isEqualTo("a.1xl");
  }

  private static String arch(InstanceType t) {
    return t.requirements().get(WellKnownLabels.ARCH).values().iterator().next();
  }
}
