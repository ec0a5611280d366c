package dev.dovetail.controllers.disruption.model;

import static dev.dovetail.controllers.disruption.model.PlannerFixture.GI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.PodAffinityTerm;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.TopologySpreadConstraint;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomIndexTest {
  @Test
  void onlyNodesWithRoomForSomePodAreKeptInTheirOrder() {
    PlannerFixture f = new PlannerFixture();
    f.node("full", "m.1xl", "on-demand", f.pods(2, 1000, GI)); // 2 cores: no cpu left
    f.node("roomy", "m.4xl", "on-demand", f.pods(1, 1000, GI));
    f.node("memory-full", "m.1xl", "on-demand", f.pods(1, 100, 8 * GI)); // 8 GiB: none left
    f.node("gone", "m.4xl", "on-demand", List.of());
    f.node("small-room", "m.1xl", "on-demand", f.pods(1, 1800, GI)); // 200m left
    RoomIndex index = RoomIndex.of(f.model().nodes());

    List<SchedulingPod> moving = f.pods(1, 500, GI);
    moving = List.of(moving.get(0), f.pods(1, 100, GI / 4).get(0));

    assertThat(index.relevant(moving, Set.of("gone")))
        .extracting(ExistingNode::name)
        .containsExactly("roomy", "small-room");
    assertThat(index.relevant(f.pods(1, 500, GI), Set.of()))
        .extracting(ExistingNode::name)
        .containsExactly("roomy", "gone");
    assertThat(index.relevant(List.of(), Set.of())).isEmpty();
  }

  @Test
  void topologyAnywhereMeansTheWholeCluster() {
    Requirements web = Requirements.of(Requirement.in("app", "web"));
    PlannerFixture f = new PlannerFixture();
    f.node("a", "m.4xl", "on-demand", f.pods(1, 1000, GI));
    SchedulingPod spread =
        SchedulingPod.builder("default/s")
            .requests(100, GI)
            .topologySpread(TopologySpreadConstraint.of(1, WellKnownLabels.ZONE, web))
            .build();
    SchedulingPod affine =
        SchedulingPod.builder("default/p")
            .requests(100, GI)
            .preferredPodAffinity(1, PodAffinityTerm.of(web, WellKnownLabels.ZONE))
            .build();
    RoomIndex index = RoomIndex.of(f.model().nodes());
    assertThat(index.relevant(List.of(spread), Set.of())).isNull();
    assertThat(index.relevant(List.of(affine), Set.of())).isNull();
    assertThat(index.relevant(f.pods(1, 100, GI), Set.of())).isNotNull();

    f.node(
        "b",
        "m.2xl",
        "on-demand",
        List.of(
            SchedulingPod.builder("default/w")
                .label("app", "web")
                .requests(100, GI)
                .podAntiAffinity(PodAffinityTerm.of(web, WellKnownLabels.HOSTNAME))
                .build()));
    assertThat(RoomIndex.of(f.model().nodes()).relevant(f.pods(1, 100, GI), Set.of())).isNull();
  }

  @Test
  void smallestShapesDropRequestsAnotherIsNoLargerThanInBoth() {
    PlannerFixture f = new PlannerFixture();
    List<SchedulingPod> pods =
        List.of(
            f.pods(1, 1000, GI).get(0),
            f.pods(1, 500, 2 * GI).get(0),
            f.pods(1, 1000, 2 * GI).get(0), // dominated by both
            f.pods(1, 2000, GI / 2).get(0),
            f.pods(1, 500, 2 * GI).get(0)); // duplicate
    assertThat(RoomIndex.smallestShapes(pods))
        .isDeepEqualTo(new long[][] {{500, 2 * GI}, {1000, GI}, {2000, GI / 2}});
  }
}
