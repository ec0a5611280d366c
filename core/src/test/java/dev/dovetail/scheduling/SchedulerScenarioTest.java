package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.GI;
import static dev.dovetail.scheduling.Fixtures.catalog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One scenario per constraint family, written from Kubernetes/Karpenter semantics. */
class SchedulerScenarioTest {
  private final Scheduler scheduler = new Scheduler();
  private static final Requirements WEB = Requirements.of(Requirement.in("app", "web"));

  private SchedulingResult solve(
      List<SchedulingPod> pods, List<ExistingNode> nodes, List<NodePoolTemplate> pools) {
    return solve(pods, nodes, pools, SchedulingOptions.DEFAULT);
  }

  private SchedulingResult solve(
      List<SchedulingPod> pods,
      List<ExistingNode> nodes,
      List<NodePoolTemplate> pools,
      SchedulingOptions o) {
    SchedulingInput in = new SchedulingInput(pods, nodes, pools, o);
    SchedulingResult r = scheduler.solve(in);
    assertThat(PlacementVerifier.verify(in, r)).isEmpty();
    return r;
  }

  private static NodePoolTemplate pool(String name) {
    return NodePoolTemplate.of(name, Requirements.none(), catalog());
  }

  private static List<SchedulingPod> pods(
      int n, java.util.function.Function<Integer, SchedulingPod> f) {
    List<SchedulingPod> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(f.apply(i));
    }
    return out;
  }

  /** Pods per value of a claim's label (from its single-valued requirement). */
  private static Map<String, Integer> perDomain(SchedulingResult r, String key) {
    Map<String, Integer> m = new HashMap<>();
    for (NewNodeClaim c : r.newNodeClaims()) {
      String v = c.requirements().singleValueLabels().get(key);
      m.merge(v, c.podIds().size(), Integer::sum);
    }
    return m;
  }

  private static ExistingNode node(
      String name, String zone, List<SchedulingPod> pods, List<Taint> taints) {
    return new ExistingNode(
        name,
        Map.of(
            WellKnownLabels.ZONE,
            zone,
            WellKnownLabels.HOSTNAME,
            name,
            WellKnownLabels.ARCH,
            "amd64"),
        taints,
        Resources.of(Resources.CPU, 16000L, Resources.MEMORY, 64 * GI, Resources.PODS, 110L),
        Resources.EMPTY,
        pods,
        false,
        false,
        null);
  }

  @Test
  void zoneSpreadMaxSkewOneBalancesThreeZones() {
    for (int n : new int[] {9, 10, 11}) {
      SchedulingResult r =
          solve(
              pods(
                  n,
                  i ->
                      SchedulingPod.builder("p" + i)
                          .label("app", "web")
                          .requests(100, GI)
                          .topologySpread(TopologySpreadConstraint.of(1, WellKnownLabels.ZONE, WEB))
                          .build()),
              List.of(),
              List.of(pool("default")));
      Map<String, Integer> counts = perDomain(r, WellKnownLabels.ZONE);
      assertThat(counts.keySet()).containsExactlyInAnyOrder("zone-a", "zone-b", "zone-c");
      int max = counts.values().stream().max(Integer::compare).orElseThrow();
      int min = counts.values().stream().min(Integer::compare).orElseThrow();
      assertThat(max - min).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void zoneSpreadCountsExistingPods() {
    List<SchedulingPod> running =
        pods(4, i -> SchedulingPod.builder("run" + i).label("app", "web").build());
    ExistingNode full = node("n-a", "zone-a", running, List.of());
    SchedulingResult r =
        solve(
            pods(
                2,
                i ->
                    SchedulingPod.builder("p" + i)
                        .label("app", "web")
                        .requests(100, GI)
                        .topologySpread(TopologySpreadConstraint.of(1, WellKnownLabels.ZONE, WEB))
                        .build()),
            List.of(full),
            List.of(pool("default")));
    // zone-a already has 4: the new ones go to b and c
    assertThat(r.placements()).isEmpty();
    assertThat(perDomain(r, WellKnownLabels.ZONE)).containsOnlyKeys("zone-b", "zone-c");
  }

  @Test
  void minDomainsAboveAvailableDomainsCapsEachDomainAtMaxSkew() {
    NodePoolTemplate twoZones =
        NodePoolTemplate.of(
            "ab",
            Requirements.of(Requirement.in(WellKnownLabels.ZONE, "zone-a", "zone-b")),
            catalog());
    TopologySpreadConstraint tsc =
        new TopologySpreadConstraint(1, WellKnownLabels.ZONE, true, WEB, 3, true, false, List.of());
    SchedulingResult r =
        solve(
            pods(
                3,
                i ->
                    SchedulingPod.builder("p" + i)
                        .label("app", "web")
                        .requests(100, GI)
                        .topologySpread(tsc)
                        .build()),
            List.of(),
            List.of(twoZones));
    assertThat(r.scheduledPodCount()).isEqualTo(2);
    assertThat(r.unschedulable()).hasSize(1);
    assertThat(r.unschedulable().values().iterator().next()).contains("minDomains 3");
    // without minDomains the third pod schedules (2/1)
    TopologySpreadConstraint plain = TopologySpreadConstraint.of(1, WellKnownLabels.ZONE, WEB);
    SchedulingResult r2 =
        solve(
            pods(
                3,
                i ->
                    SchedulingPod.builder("p" + i)
                        .label("app", "web")
                        .requests(100, GI)
                        .topologySpread(plain)
                        .build()),
            List.of(),
            List.of(twoZones));
    assertThat(r2.unschedulable()).isEmpty();
  }

  @Test
  void scheduleAnywayIsOnlyAPreference() {
    NodePoolTemplate zoneA =
        NodePoolTemplate.of(
            "a", Requirements.of(Requirement.in(WellKnownLabels.ZONE, "zone-a")), catalog());
    TopologySpreadConstraint soft =
        new TopologySpreadConstraint(
            1, WellKnownLabels.HOSTNAME, false, WEB, null, true, false, List.of());
    NodePoolTemplate oneNode =
        new NodePoolTemplate(
            "a",
            0,
            zoneA.requirements(),
            Map.of(),
            List.of(),
            List.of(),
            Resources.of("nodes", 1L),
            null,
            catalog(),
            List.of());
    SchedulingResult r =
        solve(
            pods(
                3,
                i ->
                    SchedulingPod.builder("p" + i)
                        .label("app", "web")
                        .requests(100, GI)
                        .topologySpread(soft)
                        .build()),
            List.of(),
            List.of(oneNode));
    assertThat(r.unschedulable()).isEmpty();
    assertThat(r.newNodeClaims()).hasSize(1);
  }

  @Test
  void hostnameSpreadAndRequiredAntiAffinityGiveOneNodeEach() {
    SchedulingResult r =
        solve(
            pods(
                4,
                i ->
                    SchedulingPod.builder("p" + i)
                        .label("app", "web")
                        .requests(100, GI)
                        .podAntiAffinity(PodAffinityTerm.of(WEB, WellKnownLabels.HOSTNAME))
                        .build()),
            List.of(),
            List.of(pool("default")));
    assertThat(r.newNodeClaims()).hasSize(4);
    SchedulingResult r2 =
        solve(
            pods(
                4,
                i ->
                    SchedulingPod.builder("p" + i)
                        .label("app", "web")
                        .requests(100, GI)
                        .topologySpread(
                            TopologySpreadConstraint.of(2, WellKnownLabels.HOSTNAME, WEB))
                        .build()),
            List.of(),
            List.of(pool("default")));
    assertThat(r2.newNodeClaims()).hasSize(2);
  }

  @Test
  void zoneAntiAffinityUsesEachZoneOnce() {
    SchedulingResult r =
        solve(
            pods(
                4,
                i ->
                    SchedulingPod.builder("p" + i)
                        .label("app", "web")
                        .requests(100, GI)
                        .podAntiAffinity(PodAffinityTerm.of(WEB, WellKnownLabels.ZONE))
                        .build()),
            List.of(),
            List.of(pool("default")));
    assertThat(r.scheduledPodCount()).isEqualTo(3);
    assertThat(perDomain(r, WellKnownLabels.ZONE)).containsOnlyKeys("zone-a", "zone-b", "zone-c");
    assertThat(r.unschedulable().values().iterator().next()).contains("anti-affinity");
  }

  @Test
  void podAffinityFollowsExistingPodZone() {
    SchedulingPod db = SchedulingPod.builder("db").label("app", "db").build();
    ExistingNode nb =
        new ExistingNode(
            "n-b",
            Map.of(WellKnownLabels.ZONE, "zone-b", WellKnownLabels.HOSTNAME, "n-b"),
            List.of(),
            Resources.of(Resources.CPU, 1000L, Resources.MEMORY, GI, Resources.PODS, 110L),
            Resources.EMPTY,
            List.of(db),
            false,
            false,
            null);
    Requirements dbSel = Requirements.of(Requirement.in("app", "db"));
    SchedulingResult r =
        solve(
            pods(
                5,
                i ->
                    SchedulingPod.builder("p" + i)
                        .requests(1000, GI)
                        .podAffinity(PodAffinityTerm.of(dbSel, WellKnownLabels.ZONE))
                        .build()),
            List.of(nb),
            List.of(pool("default")));
    assertThat(r.unschedulable()).isEmpty();
    assertThat(perDomain(r, WellKnownLabels.ZONE)).containsOnlyKeys("zone-b");
  }

  @Test
  void selfAffinityPinsTheGroupToTheFirstPodsZone() {
    Requirements sel = Requirements.of(Requirement.in("grp", "x"));
    SchedulingResult r =
        solve(
            pods(
                6,
                i ->
                    SchedulingPod.builder("p" + i)
                        .label("grp", "x")
                        .requests(3000, GI)
                        .podAffinity(PodAffinityTerm.of(sel, WellKnownLabels.ZONE))
                        .build()),
            List.of(),
            List.of(pool("default")));
    assertThat(r.unschedulable()).isEmpty();
    assertThat(perDomain(r, WellKnownLabels.ZONE)).hasSize(1);
  }

  @Test
  void antiAffinityOfRunningPodsKeepsNewcomersAway() {
    SchedulingPod guard =
        SchedulingPod.builder("guard")
            .label("app", "guard")
            .podAntiAffinity(PodAffinityTerm.of(WEB, WellKnownLabels.HOSTNAME))
            .build();
    ExistingNode n = node("n-a", "zone-a", List.of(guard), List.of());
    SchedulingResult r =
        solve(
            List.of(SchedulingPod.builder("web").label("app", "web").requests(100, GI).build()),
            List.of(n),
            List.of(pool("default")));
    assertThat(r.placements()).isEmpty();
    assertThat(r.newNodeClaims()).hasSize(1);
  }

  @Test
  void preferredAntiAffinityIsDroppedOnlyWhenItCannotBeMet() {
    List<SchedulingPod> ps =
        pods(
            3,
            i ->
                SchedulingPod.builder("p" + i)
                    .label("app", "web")
                    .requests(100, GI)
                    .preferredPodAntiAffinity(10, PodAffinityTerm.of(WEB, WellKnownLabels.HOSTNAME))
                    .build());
    assertThat(solve(ps, List.of(), List.of(pool("default"))).newNodeClaims()).hasSize(3);
    NodePoolTemplate oneNode =
        new NodePoolTemplate(
            "one",
            0,
            null,
            Map.of(),
            List.of(),
            List.of(),
            Resources.of("nodes", 1L),
            null,
            catalog(),
            List.of());
    SchedulingResult r = solve(ps, List.of(), List.of(oneNode));
    assertThat(r.unschedulable()).isEmpty();
    assertThat(r.newNodeClaims()).hasSize(1);
    // and with preferences ignored they share a node from the start
    SchedulingResult ignored =
        solve(
            ps,
            List.of(),
            List.of(pool("default")),
            SchedulingOptions.DEFAULT.withIgnorePreferences(true));
    assertThat(ignored.newNodeClaims()).hasSize(1);
  }

  @Test
  void metPreferenceDoesNotBecomeAHardRequirement() {
    SchedulingPod p =
        SchedulingPod.builder("p")
            .requests(500, GI)
            .preferredNodeAffinity(
                50, Requirements.of(Requirement.in(WellKnownLabels.ARCH, "amd64")))
            .build();
    SchedulingResult r = solve(List.of(p), List.of(), List.of(pool("default")));
    NewNodeClaim c = r.newNodeClaims().get(0);
    assertThat(c.requirements().get(WellKnownLabels.ARCH)).isNull();
    // preferred (amd64) types come first, the others remain as fallback
    assertThat(c.instanceTypeOptions().get(0).requirements().get(WellKnownLabels.ARCH).values())
        .containsExactly("amd64");
    assertThat(c.instanceTypeOptions())
        .anyMatch(t -> t.requirements().get(WellKnownLabels.ARCH).values().contains("arm64"));
  }

  @Test
  void unsatisfiablePreferredNodeAffinityIsRelaxed() {
    SchedulingPod p =
        SchedulingPod.builder("p")
            .requests(500, GI)
            .preferredNodeAffinity(
                50, Requirements.of(Requirement.in(WellKnownLabels.ARCH, "s390x")))
            .build();
    SchedulingResult r = solve(List.of(p), List.of(), List.of(pool("default")));
    assertThat(r.unschedulable()).isEmpty();
  }

  @Test
  void hostPortsConflict() {
    List<SchedulingPod> ps =
        pods(
            2,
            i ->
                SchedulingPod.builder("p" + i)
                    .requests(100, GI)
                    .hostPort(HostPort.tcp(80))
                    .build());
    assertThat(solve(ps, List.of(), List.of(pool("default"))).newNodeClaims()).hasSize(2);
    SchedulingPod running = SchedulingPod.builder("run").hostPort(HostPort.tcp(80)).build();
    SchedulingResult r =
        solve(
            ps.subList(0, 1),
            List.of(node("n", "zone-a", List.of(running), List.of())),
            List.of(pool("default")));
    assertThat(r.placements()).isEmpty();
    SchedulingPod udp =
        SchedulingPod.builder("udp")
            .requests(100, GI)
            .hostPort(new HostPort("UDP", null, 80))
            .build();
    assertThat(
            solve(
                    List.of(udp),
                    List.of(node("n", "zone-a", List.of(running), List.of())),
                    List.of(pool("default")))
                .placements())
        .containsEntry("udp", "n");
  }

  @Test
  void boundVolumePinsZone() {
    SchedulingPod p =
        SchedulingPod.builder("p")
            .requests(100, GI)
            .volumeRequirements(Requirements.of(Requirement.in(WellKnownLabels.ZONE, "zone-c")))
            .build();
    SchedulingResult r =
        solve(
            List.of(p),
            List.of(node("n-a", "zone-a", List.of(), List.of())),
            List.of(pool("default")));
    assertThat(r.placements()).isEmpty();
    assertThat(r.newNodeClaims().get(0).requirements().get(WellKnownLabels.ZONE).values())
        .containsExactly("zone-c");
  }

  @Test
  void existingNodeTaintsAndInFlightOrder() {
    ExistingNode tainted =
        node("tainted", "zone-a", List.of(), List.of(new Taint("x", "", "NoSchedule")));
    ExistingNode inflight =
        new ExistingNode(
            "claim-1",
            Map.of(WellKnownLabels.ZONE, "zone-a"),
            List.of(new Taint("karpenter.sh/unregistered", "", "NoExecute")),
            Resources.of(Resources.CPU, 2000L, Resources.MEMORY, 4 * GI, Resources.PODS, 110L),
            Resources.EMPTY,
            List.of(),
            true,
            false,
            "default");
    ExistingNode real = node("real", "zone-b", List.of(), List.of());
    SchedulingResult r =
        solve(
            List.of(SchedulingPod.builder("p").requests(100, GI).build()),
            List.of(tainted, inflight, real),
            List.of(pool("default")));
    assertThat(r.placements()).containsEntry("p", "real");
    SchedulingResult r2 =
        solve(
            List.of(SchedulingPod.builder("p").requests(100, GI).build()),
            List.of(tainted, inflight),
            List.of(pool("default")));
    assertThat(r2.placements()).containsEntry("p", "claim-1");
  }

  @Test
  void weightsPickTheHeavierPoolAndMinValuesKeepsFlexibility() {
    NodePoolTemplate cheap = pool("cheap");
    NodePoolTemplate heavy =
        new NodePoolTemplate(
            "heavy",
            50,
            Requirements.of(
                Requirement.of(WellKnownLabels.INSTANCE_TYPE, Operator.Exists, List.of(), 4),
                Requirement.of("family", Operator.In, List.of("m", "c"), 2)),
            Map.of(),
            List.of(),
            List.of(),
            null,
            null,
            catalog(),
            List.of());
    SchedulingResult r =
        solve(
            List.of(SchedulingPod.builder("p").requests(100, GI).build()),
            List.of(),
            List.of(cheap, heavy));
    NewNodeClaim c = r.newNodeClaims().get(0);
    assertThat(c.nodePool()).isEqualTo("heavy");
    assertThat(c.instanceTypeOptions().size()).isGreaterThanOrEqualTo(4);
    assertThat(c.instanceTypeOptions().stream().map(t -> t.name().substring(0, 1)).distinct())
        .hasSize(2);
    SchedulingResult few =
        solve(
            List.of(SchedulingPod.builder("p").requests(100, GI).build()),
            List.of(),
            List.of(heavy),
            new SchedulingOptions(false, 0, 1));
    assertThat(few.newNodeClaims().get(0).instanceTypeOptions().size()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void maxNodeClaimsGivesBackPressure() {
    SchedulingResult r =
        solve(
            pods(
                3,
                i ->
                    SchedulingPod.builder("p" + i)
                        .label("app", "web")
                        .requests(100, GI)
                        .podAntiAffinity(PodAffinityTerm.of(WEB, WellKnownLabels.HOSTNAME))
                        .build()),
            List.of(),
            List.of(pool("default")),
            SchedulingOptions.DEFAULT.withMaxNodeClaims(2));
    assertThat(r.newNodeClaims()).hasSize(2);
    assertThat(r.unschedulable().values().iterator().next()).contains("limit of 2 new NodeClaims");
  }

  @Test
  void nodeTaintsPolicyHonorIgnoresTaintedDomains() {
    // zone-c only exists on a node the pods do not tolerate; with Honor it is not a domain, so
    // the pods spread over a and b only (pool limited to a and b).
    NodePoolTemplate ab =
        NodePoolTemplate.of(
            "ab",
            Requirements.of(Requirement.in(WellKnownLabels.ZONE, "zone-a", "zone-b")),
            catalog());
    ExistingNode taintedC =
        node("c", "zone-c", List.of(), List.of(new Taint("x", "", "NoSchedule")));
    TopologySpreadConstraint honor =
        new TopologySpreadConstraint(
            1, WellKnownLabels.ZONE, true, WEB, null, true, true, List.of());
    SchedulingResult r =
        solve(
            pods(
                4,
                i ->
                    SchedulingPod.builder("p" + i)
                        .label("app", "web")
                        .requests(100, GI)
                        .topologySpread(honor)
                        .build()),
            List.of(taintedC),
            List.of(ab));
    assertThat(r.unschedulable()).isEmpty();
    TopologySpreadConstraint ignore = TopologySpreadConstraint.of(1, WellKnownLabels.ZONE, WEB);
    SchedulingResult r2 =
        solve(
            pods(
                4,
                i ->
                    SchedulingPod.builder("p" + i)
                        .label("app", "web")
                        .requests(100, GI)
                        .topologySpread(ignore)
                        .build()),
            List.of(taintedC),
            List.of(ab));
    // zone-c counts (0 pods, unreachable): only one pod per reachable zone is allowed
    assertThat(r2.scheduledPodCount()).isEqualTo(2);
  }
}
