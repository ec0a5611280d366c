package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.MI;
import static dev.dovetail.scheduling.Fixtures.pod;
import static dev.dovetail.scheduling.Fixtures.type;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergePassTest {

  /**
   * The shape of a real catalog's smallest types: the same cores, memory doubling and price with
   * it, and a fixed overhead per node (256 MiB here) that makes the smallest dearest per unit of
   * room. A pod of 250m / 600Mi: one fits a micro ($0.0084 a pod), two a small ($0.0084), six a
   * medium ($0.0056), as t4g.micro, t4g.small and t4g.medium take the demo's web pods.
   */
  private static List<InstanceType> smallTypes() {
    return List.of(
        type("t.micro", 2, 1, "amd64", 0.0084),
        type("t.small", 2, 2, "amd64", 0.0168),
        type("t.medium", 2, 4, "amd64", 0.0336));
  }

  private static SchedulingInput input(int n, SchedulingPod... extra) {
    List<SchedulingPod> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pods.add(pod("ns/web-" + i, 250, 600 * MI));
    }
    pods.addAll(List.of(extra));
    return SchedulingInput.of(
        pods,
        List.of(),
        List.of(NodePoolTemplate.of("default", Requirements.none(), smallTypes())));
  }

  private static double cost(SchedulingResult r) {
    return r.newNodeClaims().stream().mapToDouble(NewNodeClaim::cheapestPrice).sum();
  }

  @Test
  void manyPodsOfOneSizeEndOnTheTypeCheapestPerPodNotOnPairsOfSmallOnes() {
    SchedulingInput in = input(60);

    SchedulingResult out = new Scheduler().solve(in);

    assertThat(PlacementVerifier.verify(in, out)).isEmpty();
    // Six to a medium: ten mediums. The greedy pass alone planned pairs on smalls (30 claims).
    assertThat(out.newNodeClaims()).hasSize(10);
    assertThat(out.newNodeClaims())
        .allSatisfy(c -> assertThat(c.instanceTypeOptions().get(0).name()).isEqualTo("t.medium"));
  }

  @Test
  void twoClaimsMergeIntoOneAtTheSamePriceAndAThirdFillsItForLess() {
    EngineParts e = new EngineParts(input(5));
    // pods of 600Mi: a and b are smalls of two, c a micro of one
    ClaimBin a = e.openWith(0);
    e.commit(1, a); // a small: two pods
    ClaimBin b = e.openWith(2);
    e.commit(3, b); // another small
    ClaimBin c = e.openWith(4); // a micro
    MergePass merge = new MergePass(e.planner, e.claims, e.counts, e.ctx.input.pods());

    // a into b at the price of the two (a medium of four), then that medium into c (five pods,
    // still a medium, for the price of the medium alone); c alone could go nowhere for less
    assertThat(merge.run()).isEqualTo(2);

    assertThat(e.claims.all()).hasSize(1);
    ClaimBin left = e.claims.all().get(0);
    assertThat(left.pods).hasSize(5);
    assertThat(left.pool.types[left.cheapest].name()).isEqualTo("t.medium");
  }

  @Test
  void underANodePoolLimitTheClaimMergedAwayGivesBackWhatItHeld() {
    NodePoolTemplate limited =
        new NodePoolTemplate(
            "default",
            0,
            Requirements.none(),
            Map.of(),
            List.of(),
            List.of(),
            dev.dovetail.cloudprovider.Resources.of("cpu", 100_000L),
            null,
            smallTypes(),
            List.of());
    List<SchedulingPod> pods = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      pods.add(pod("ns/web-" + i, 250, 600 * MI));
    }
    EngineParts e = new EngineParts(SchedulingInput.of(pods, List.of(), List.of(limited)));
    ClaimBin a = e.openWith(0);
    e.commit(1, a);
    ClaimBin b = e.openWith(2);
    e.commit(3, b);
    assertThat(a.coarse).isFalse(); // 100 cores: far from 1,000 of the largest type
    MergePass merge = new MergePass(e.planner, e.claims, e.counts, e.ctx.input.pods());

    assertThat(merge.run()).isEqualTo(1);

    ClaimBin left = e.claims.all().get(0);
    assertThat(left.pods).hasSize(4);
    assertThat(e.pool().remaining.get("cpu")).isEqualTo(100_000L - left.reserved.get("cpu"));
  }

  @Test
  void aMergeThatFailsHalfWayIsUndoneAndLeavesBothClaimsAsTheyWere() {
    // a: db-0 and web-0 (a micro); b: web-1 and db-1 (a micro). Both on a would be a small, the
    // price of the two micros: web-1 moves, then db-1 may not share a node with db-0.
    SchedulingPod db0 = antiAffine("ns/db-0");
    SchedulingPod db1 = antiAffine("ns/db-1");
    EngineParts e = new EngineParts(input(2, db0, db1));
    ClaimBin a = e.openWith(2);
    e.commit(0, a);
    ClaimBin b = e.openWith(1);
    e.commit(3, b);
    int aType = a.cheapest;
    long[] aUsed = a.used.clone();
    MergePass merge = new MergePass(e.planner, e.claims, e.counts, e.ctx.input.pods());

    assertThat(merge.run()).isZero();

    assertThat(e.claims.all()).containsExactly(a, b);
    assertThat(a.pods).containsExactly("ns/db-0", "ns/web-0");
    assertThat(a.cheapest).isEqualTo(aType);
    assertThat(a.pool.types[aType].name()).isEqualTo("t.micro");
    assertThat(a.used).containsExactly(aUsed);
    assertThat(b.pods).containsExactly("ns/web-1", "ns/db-1");
    // the topology counts were put back too: db-1 still may not join db-0 on a, and web-1 is
    // counted on b only (a third db pod may join neither)
    assertThat(e.planner.plan(a, e.cls(3), e.strict(3)).ok()).isFalse();
    assertThat(e.planner.plan(b, e.cls(2), e.strict(2)).ok()).isFalse();
  }

  private static SchedulingPod antiAffine(String id) {
    return SchedulingPod.builder(id)
        .requests(100, 100 * MI)
        .label("app", "db")
        .podAntiAffinity(
            PodAffinityTerm.of(
                Requirements.of(Requirement.in("app", "db")), WellKnownLabels.HOSTNAME))
        .build();
  }
}
