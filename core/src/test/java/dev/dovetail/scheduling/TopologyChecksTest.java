package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.GI;
import static dev.dovetail.scheduling.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyChecksTest {
  private static final Requirements WEB = Requirements.of(Requirement.in("app", "web"));

  private static SchedulingPod web(String id, String key) {
    return SchedulingPod.builder(id)
        .namespace("ns")
        .label("app", "web")
        .requests(100, GI)
        .podAntiAffinity(PodAffinityTerm.of(WEB, key))
        .build();
  }

  private static EngineParts parts(SchedulingPod... pods) {
    return new EngineParts(
        SchedulingInput.of(
            List.of(pods), List.of(), List.of(pool("default", Requirements.none()))));
  }

  @Test
  void hostnameAntiAffinityExcludesANodeWithAMatchingPod() {
    EngineParts e =
        parts(web("ns/a", WellKnownLabels.HOSTNAME), web("ns/b", WellKnownLabels.HOSTNAME));
    ClaimBin c = e.claims.open(e.pool());
    assertThat(e.checks.check(e.strict(1), c, WellKnownLabels.HOSTNAME, c.hostname)).isNull();
    assertThat(e.checks.onlyNewNode(e.strict(1), 1)).isFalse();

    ClaimBin first = e.openWith(0);
    var why = e.checks.check(e.strict(1), first, WellKnownLabels.HOSTNAME, first.hostname);
    assertThat(why).isNotNull();
    assertThat(why.get()).contains("anti-affinity");
    assertThat(e.checks.onlyNewNode(e.strict(1), 1)).isTrue();
  }

  @Test
  void zoneAntiAffinityIsExhaustedOnceEveryZoneHasAMatchingPod() {
    SchedulingPod[] pods = new SchedulingPod[4];
    for (int i = 0; i < 4; i++) {
      pods[i] = web("ns/p" + i, WellKnownLabels.ZONE);
    }
    EngineParts e = parts(pods);
    assertThat(e.checks.antiAffinityExhausted(e.strict(3))).isNull();
    for (int i = 0; i < 3; i++) {
      ClaimBin c = e.openWith(i);
      assertThat(c.value(WellKnownLabels.ZONE)).isNotNull();
    }
    assertThat(e.checks.antiAffinityExhausted(e.strict(3)))
        .contains("every domain already has a matching pod");
  }

  @Test
  void candidateDomainsPreferEmptierZonesForASpread() {
    TopologySpreadConstraint spread = TopologySpreadConstraint.of(1, WellKnownLabels.ZONE, WEB);
    SchedulingPod a =
        SchedulingPod.builder("ns/a")
            .namespace("ns")
            .label("app", "web")
            .requests(100, GI)
            .topologySpread(spread)
            .build();
    SchedulingPod b =
        SchedulingPod.builder("ns/b")
            .namespace("ns")
            .label("app", "web")
            .requests(100, GI)
            .topologySpread(spread)
            .build();
    EngineParts e = parts(a, b);
    ClaimBin first = e.openWith(0);
    String taken = first.value(WellKnownLabels.ZONE);
    ClaimBin next = e.claims.open(e.pool());
    TopologyChecks.Domains d =
        e.checks.candidateDomains(e.pool(), next.soft, WellKnownLabels.ZONE, e.strict(1), next);
    assertThat(d.values()).isNotEmpty().doesNotContain(taken);
  }
}
