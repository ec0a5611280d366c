package dev.dovetail.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.plugins.simulated.SimulatedCloud;
import dev.dovetail.simulate.SimulationReport.PodResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dovetail simulate}'s questions on Karpenter-shaped manifests, with the simulated cloud.
 */
class SimulatorTest {
  private static final Path DIR = Path.of("src/test/resources/simulate");
  private SimulatedCloud cloud;
  private Simulator simulator;

  @BeforeEach
  void start() {
    cloud = SimulatedClouds.started("aws");
    simulator = new Simulator(cloud, Instant.parse("2026-06-01T00:00:00Z"));
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private static Manifests read(String... files) {
    return Manifests.read(List.of(files).stream().map(DIR::resolve).toList());
  }

  @Test
  void provisionPlacesTheInflateDeploymentOnNewCapacityAndNamesEachPod() {
    SimulationReport r = simulator.provision(read("nodepool.yaml", "inflate.yaml"));
    assertThat(r.question()).isEqualTo("provision");
    assertThat(r.pods()).hasSize(5).allSatisfy(p -> assertThat(p.nodeClaim()).isNotNull());
    assertThat(r.pods()).allSatisfy(p -> assertThat(p.name()).startsWith("inflate-"));
    assertThat(r.unschedulable()).isZero();
    assertThat(r.nodeClaims()).isNotEmpty();
    assertThat(r.nodeClaims())
        .allSatisfy(
            c -> {
              assertThat(c.nodePool()).isEqualTo("default");
              assertThat(c.capacityType()).isEqualTo("on-demand");
              assertThat(c.instanceType()).matches("^[cmr][0-9].*");
              assertThat(c.zone()).isNotNull();
              assertThat(c.pricePerHour()).isPositive();
            });
    assertThat(r.costPerHour())
        .isEqualTo(
            Simulator.round(
                r.nodeClaims().stream()
                    .mapToDouble(SimulationReport.PlannedNodeClaim::pricePerHour)
                    .sum()));
    // The EC2NodeClass is read through the simulated cloud's own NodeClass, and the Service
    // ignored.
    assertThat(r.notes()).anyMatch(n -> n.contains("EC2NodeClass/default simulated as simulated"));
    assertThat(r.notes()).anyMatch(n -> n.contains("Service"));
  }

  @Test
  void anUnplaceablePodNamesTheFailedConstraintAndTheClosestInstanceType() {
    SimulationReport r = simulator.provision(read("nodepool.yaml", "arm-only.yaml"));
    assertThat(r.unschedulable()).isEqualTo(1);
    PodResult pod = r.pods().get(0);
    assertThat(pod.node()).isNull();
    assertThat(pod.nodeClaim()).isNull();
    assertThat(pod.reason()).contains("kubernetes.io/arch");
    assertThat(pod.reason()).contains("closest: fits").contains("except");
    assertThat(r.nodeClaims()).isEmpty();
  }

  @Test
  void pendingPodsFillExistingNodesBeforeNewCapacityIsBought() {
    SimulationReport r =
        simulator.provision(read("nodepool.yaml", "existing.yaml", "inflate.yaml"));
    // 5 x 1 cpu fit in the two half-empty m5.2xlarge nodes.
    assertThat(r.nodeClaims()).isEmpty();
    assertThat(r.pods()).hasSize(5).allSatisfy(p -> assertThat(p.node()).startsWith("ip-10-0-1-"));
    assertThat(r.existingCostPerHour()).isPositive();
    assertThat(r.nodes()).hasSize(2);
  }

  @Test
  void consolidateRemovesOneOfTwoUnderusedNodesAndSaysWhyTheOtherIsKept() {
    SimulationReport r =
        new Questions(simulator).consolidate(read("nodepool.yaml", "existing.yaml"));
    assertThat(r.removals()).isNotEmpty();
    assertThat(r.costPerHour()).isLessThan(r.existingCostPerHour());
    assertThat(r.removals().get(0).node()).startsWith("ip-10-0-1-1");
    assertThat(r.kept()).allSatisfy(k -> assertThat(k.reason()).isNotBlank());
  }

  @Test
  void consolidationKeepsANodeWhosePodSaysDoNotDisrupt(@TempDir Path tmp) throws Exception {
    String pinned =
        Files.readString(DIR.resolve("existing.yaml"))
            .replace(
                "name: web-1\n      namespace: shop\n",
                "name: web-1\n      namespace: shop\n      annotations: {karpenter.sh/do-not-disrupt: \"true\"}\n")
            .replace(
                "name: web-2\n      namespace: shop\n",
                "name: web-2\n      namespace: shop\n      annotations: {karpenter.sh/do-not-disrupt: \"true\"}\n");
    Path f = tmp.resolve("pinned.yaml");
    Files.writeString(f, pinned);
    SimulationReport r =
        new Questions(simulator)
            .consolidate(Manifests.read(List.of(DIR.resolve("nodepool.yaml"), f)));
    assertThat(r.removals()).isEmpty();
    assertThat(r.kept())
        .hasSize(2)
        .allSatisfy(k -> assertThat(k.reason()).contains("do-not-disrupt"));
  }

  @Test
  void removeNodeSaysWhereItsPodsGo() {
    SimulationReport r =
        new Questions(simulator)
            .removeNode(read("nodepool.yaml", "existing.yaml"), "ip-10-0-1-10.ec2.internal");
    assertThat(r.removals())
        .singleElement()
        .satisfies(x -> assertThat(x.reason()).contains("fit on the other nodes"));
    assertThat(r.pods())
        .singleElement()
        .satisfies(p -> assertThat(p.node()).isEqualTo("ip-10-0-1-11.ec2.internal"));
  }

  @Test
  void removeNodeOfAnUnknownNodeIsAClearError() {
    assertThatThrownBy(
            () ->
                new Questions(simulator).removeNode(read("nodepool.yaml", "existing.yaml"), "nope"))
        .hasMessageContaining("no node named nope");
  }

  @Test
  void addingSpotToTheNodePoolLowersTheCost() {
    Manifests m = read("nodepool.yaml", "existing.yaml", "inflate.yaml");
    SimulationReport r =
        new Questions(simulator)
            .nodePoolChange(
                m, Manifests.read(List.of(DIR.resolve("spot-nodepool.yaml"))).nodePools());
    assertThat(r.change().costPerHourAfter()).isLessThan(r.change().costPerHourBefore());
    assertThat(r.change().unschedulableAfter()).isZero();
    assertThat(r.nodeClaims()).anyMatch(c -> "spot".equals(c.capacityType()));
  }

  @Test
  void theHtmlReportIsSelfContainedAndShowsEveryNode() {
    SimulationReport r =
        simulator.provision(
            read("nodepool.yaml", "existing.yaml", "inflate.yaml", "arm-only.yaml"));
    String html = ReportHtml.render(r, List.of());
    for (SimulationReport.NodeBar n : r.nodes()) {
      assertThat(html).contains("data-node=\"" + n.name() + "\"");
    }
    assertThat(html)
        .doesNotContain("<script")
        .doesNotContain("src=\"http")
        .doesNotContain("href=\"http");
    assertThat(html).contains("id=\"unschedulable\"");
  }
}
