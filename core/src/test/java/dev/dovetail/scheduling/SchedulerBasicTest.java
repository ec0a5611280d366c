package dev.dovetail.scheduling;

import static dev.dovetail.scheduling.Fixtures.GI;
import static dev.dovetail.scheduling.Fixtures.catalog;
import static dev.dovetail.scheduling.Fixtures.pod;
import static dev.dovetail.scheduling.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerBasicTest {
  private final Scheduler scheduler = new Scheduler();

  @Test
  void onePodGetsOneClaimWithCheapestFittingTypeFirst() {
    SchedulingResult r =
        scheduler.solve(
            SchedulingInput.of(
                List.of(pod("ns/a", 1500, 2 * GI)),
                List.of(),
                List.of(pool("default", Requirements.none()))));
    assertThat(r.unschedulable()).isEmpty();
    assertThat(r.newNodeClaims()).hasSize(1);
    NewNodeClaim c = r.newNodeClaims().get(0);
    assertThat(c.podIds()).containsExactly("ns/a");
    // 1.5 cpu + 2Gi fits the 2-core types; a.1xl spot (0.056) is cheapest.
    assertThat(c.instanceTypeOptions().get(0).name()).isEqualTo("a.1xl");
    assertThat(c.cheapestPrice()).isCloseTo(0.056, org.assertj.core.data.Offset.offset(1e-9));
    List<Double> prices = new ArrayList<>();
    for (var it : c.instanceTypeOptions()) {
      prices.add(it.cheapestOffering(c.requirements()).orElseThrow().price());
    }
    assertThat(prices).isSorted();
    assertThat(c.requirements().get(WellKnownLabels.INSTANCE_TYPE).values())
        .containsExactlyElementsOf(c.instanceTypeOptions().stream().map(t -> t.name()).toList());
    assertThat(c.requirements().get(WellKnownLabels.NODE_POOL).values()).containsExactly("default");
  }

  @Test
  void existingNodeIsUsedFirst() {
    ExistingNode n =
        new ExistingNode(
            "node-1",
            Map.of(WellKnownLabels.ARCH, "amd64"),
            List.of(),
            Resources.of(Resources.CPU, 4000L, Resources.MEMORY, 8 * GI, Resources.PODS, 10L),
            Resources.of(Resources.CPU, 1000L),
            List.of(),
            false,
            false,
            null);
    SchedulingResult r =
        scheduler.solve(
            SchedulingInput.of(
                List.of(pod("a", 2000, GI), pod("b", 2000, GI)),
                List.of(n),
                List.of(pool("default", Requirements.none()))));
    // 3 cpu free: one pod fits on node-1, the other needs a new claim.
    assertThat(r.placements()).hasSize(1).containsValue("node-1");
    assertThat(r.newNodeClaims()).hasSize(1);
    assertThat(r.unschedulable()).isEmpty();
  }

  @Test
  void deletingNodeIsSkipped() {
    ExistingNode n =
        new ExistingNode(
            "node-1",
            Map.of(),
            List.of(),
            Resources.of(Resources.CPU, 4000L, Resources.MEMORY, 8 * GI, Resources.PODS, 10L),
            Resources.EMPTY,
            List.of(),
            false,
            true,
            null);
    SchedulingResult r =
        scheduler.solve(
            SchedulingInput.of(List.of(pod("a", 100, GI)), List.of(n), List.of(pool("p", null))));
    assertThat(r.placements()).isEmpty();
    assertThat(r.newNodeClaims()).hasSize(1);
  }

  @Test
  void nodeSelectorNarrowsArchAndPacksPodsTogether() {
    List<SchedulingPod> pods = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      pods.add(
          SchedulingPod.builder("p" + i)
              .requests(1000, 2 * GI)
              .nodeSelector(WellKnownLabels.ARCH, "amd64")
              .build());
    }
    SchedulingResult r =
        scheduler.solve(SchedulingInput.of(pods, List.of(), List.of(pool("default", null))));
    assertThat(r.unschedulable()).isEmpty();
    assertThat(r.newNodeClaims()).isNotEmpty();
    for (NewNodeClaim c : r.newNodeClaims()) {
      assertThat(c.instanceTypeOptions()).allMatch(t -> !t.name().startsWith("a."));
      assertThat(c.requirements().get(WellKnownLabels.ARCH).values()).containsExactly("amd64");
    }
    assertThat(r.scheduledPodCount()).isEqualTo(6);
  }

  @Test
  void requiredNodeAffinityIsAnOrOfTerms() {
    SchedulingPod p =
        SchedulingPod.builder("p")
            .requests(500, GI)
            .requiredNodeAffinityTerm(Requirements.of(Requirement.in("family", "nope")))
            .requiredNodeAffinityTerm(Requirements.of(Requirement.in("family", "c")))
            .build();
    SchedulingResult r =
        scheduler.solve(SchedulingInput.of(List.of(p), List.of(), List.of(pool("default", null))));
    assertThat(r.newNodeClaims()).hasSize(1);
    assertThat(r.newNodeClaims().get(0).instanceTypeOptions())
        .allMatch(t -> t.name().startsWith("c."));
  }

  @Test
  void poolTaintNeedsToleration() {
    NodePoolTemplate gpu =
        new NodePoolTemplate(
            "gpu",
            10,
            null,
            Map.of(),
            List.of(new Taint("gpu", "true", "NoSchedule")),
            List.of(new Taint("startup", "", "NoSchedule")),
            null,
            null,
            catalog(),
            List.of());
    NodePoolTemplate def = pool("default", null);
    SchedulingPod tolerant =
        SchedulingPod.builder("tolerant")
            .requests(200, GI)
            .toleration(Toleration.exists("gpu"))
            .build();
    // The tolerant pod is bigger, so it is placed first and opens a claim in the heavier pool;
    // the plain pod cannot join it (taint) and gets its own claim from the default pool.
    SchedulingPod plain = pod("plain", 100, GI);
    SchedulingResult r =
        scheduler.solve(SchedulingInput.of(List.of(tolerant, plain), List.of(), List.of(def, gpu)));
    assertThat(r.newNodeClaims()).hasSize(2);
    for (NewNodeClaim c : r.newNodeClaims()) {
      if (c.podIds().contains("tolerant")) {
        assertThat(c.nodePool()).isEqualTo("gpu"); // higher weight first, startup taint ignored
      } else {
        assertThat(c.nodePool()).isEqualTo("default");
      }
    }
    SchedulingResult only =
        scheduler.solve(SchedulingInput.of(List.of(plain), List.of(), List.of(gpu)));
    assertThat(only.unschedulable().get("plain")).contains("taint gpu=true:NoSchedule");
  }

  @Test
  void unknownCustomLabelIsRejectedWithReason() {
    SchedulingPod p =
        SchedulingPod.builder("p").requests(100, GI).nodeSelector("team", "x").build();
    SchedulingResult r =
        scheduler.solve(SchedulingInput.of(List.of(p), List.of(), List.of(pool("default", null))));
    assertThat(r.unschedulable()).containsKey("p");
    assertThat(r.unschedulable().get("p")).contains("NodePool default").contains("team");
  }

  @Test
  void poolLabelSatisfiesNodeSelector() {
    NodePoolTemplate team =
        new NodePoolTemplate(
            "team",
            0,
            null,
            Map.of("team", "x"),
            List.of(),
            List.of(),
            null,
            null,
            catalog(),
            List.of());
    SchedulingPod p =
        SchedulingPod.builder("p").requests(100, GI).nodeSelector("team", "x").build();
    SchedulingResult r = scheduler.solve(SchedulingInput.of(List.of(p), List.of(), List.of(team)));
    assertThat(r.unschedulable()).isEmpty();
    assertThat(r.newNodeClaims().get(0).labels()).containsEntry("team", "x");
  }

  @Test
  void tooBigPodGetsActionableReason() {
    SchedulingPod p =
        SchedulingPod.builder("gpu-pod")
            .requests(Resources.of(Resources.CPU, 1000L, Resources.NVIDIA_GPU, 2L))
            .nodeSelector(WellKnownLabels.ARCH, "arm64")
            .build();
    SchedulingResult r =
        scheduler.solve(SchedulingInput.of(List.of(p), List.of(), List.of(pool("gpu", null))));
    assertThat(r.unschedulable().get("gpu-pod"))
        .contains("no instance type in NodePool gpu")
        .contains("nvidia.com/gpu=2")
        .contains("arm64");
  }

  @Test
  void extendedResourcesSelectGpuTypes() {
    List<dev.dovetail.cloudprovider.InstanceType> cat = new ArrayList<>(catalog());
    cat.add(Fixtures.type("g.1xl", 4, 16, "amd64", 1.0, Resources.of(Resources.NVIDIA_GPU, 1L)));
    cat.add(Fixtures.type("g.4xl", 16, 64, "amd64", 4.0, Resources.of(Resources.NVIDIA_GPU, 4L)));
    SchedulingPod p =
        SchedulingPod.builder("g")
            .requests(Resources.of(Resources.CPU, 1000L, Resources.NVIDIA_GPU, 2L))
            .build();
    SchedulingResult r =
        scheduler.solve(
            SchedulingInput.of(
                List.of(p), List.of(), List.of(NodePoolTemplate.of("p", null, cat))));
    assertThat(r.newNodeClaims()).hasSize(1);
    assertThat(r.newNodeClaims().get(0).instanceTypeOptions())
        .extracting(t -> t.name())
        .containsExactly("g.4xl");
  }

  @Test
  void limitsAreNeverExceeded() {
    NodePoolTemplate limited =
        new NodePoolTemplate(
            "default",
            0,
            null,
            Map.of(),
            List.of(),
            List.of(),
            Resources.of(Resources.CPU, 8000L),
            Resources.of(Resources.CPU, 2000L),
            catalog(),
            List.of());
    List<SchedulingPod> pods = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      pods.add(pod("p" + i, 1500, GI));
    }
    SchedulingResult r = scheduler.solve(SchedulingInput.of(pods, List.of(), List.of(limited)));
    long maxCpu = 0;
    for (NewNodeClaim c : r.newNodeClaims()) {
      maxCpu +=
          c.instanceTypeOptions().stream()
              .mapToLong(t -> t.capacity().get(Resources.CPU))
              .max()
              .orElse(0);
    }
    assertThat(maxCpu).isLessThanOrEqualTo(6000);
    assertThat(r.unschedulable()).isNotEmpty();
    assertThat(r.unschedulable().values().iterator().next())
        .contains("NodePool default cpu limit 8");
    assertThat(r.scheduledPodCount() + r.unschedulable().size()).isEqualTo(10);
  }

  @Test
  void daemonsetOverheadIsAddedToNewClaims() {
    SchedulingPod ds = pod("ds", 1000, GI);
    NodePoolTemplate p =
        new NodePoolTemplate(
            "default", 0, null, Map.of(), List.of(), List.of(), null, null, catalog(), List.of(ds));
    SchedulingResult r =
        scheduler.solve(SchedulingInput.of(List.of(pod("a", 1000, GI)), List.of(), List.of(p)));
    NewNodeClaim c = r.newNodeClaims().get(0);
    assertThat(c.requests().get(Resources.CPU)).isEqualTo(2000);
    // 2000m + 100m overhead does not fit a 2-core type.
    assertThat(c.instanceTypeOptions()).allMatch(t -> t.capacity().get(Resources.CPU) >= 4000);
  }
}
