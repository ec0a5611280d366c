package dev.dovetail.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.controllers.disruption.ModelBuilder;
import dev.dovetail.controllers.provisioning.SchedulingInputs;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.SchedulingPod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provisioning ({@link SchedulingInputs}) and disruption ({@link ModelBuilder}) read one cluster
 * through the same snapshot: the same existing nodes, with the same pods, capacity, start-up taints
 * dropped, and the same deletion marks.
 */
class OneSnapshotTest {
  private static final Path DIR = Path.of("src/test/resources/simulate");
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private SimulatedCloud cloud;

  @BeforeEach
  void start() {
    cloud = SimulatedClouds.started("aws");
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  /** What the engine reads of an existing node (pods by id and requests). */
  private record Seen(
      String name,
      Map<String, String> labels,
      List<Taint> taints,
      Object allocatable,
      Object requested,
      List<String> pods,
      boolean inFlight,
      boolean markedForDeletion,
      String nodePool) {
    static Seen of(ExistingNode n) {
      return new Seen(
          n.name(),
          n.labels(),
          n.taints(),
          n.allocatable(),
          n.requested(),
          n.pods().stream().map(SchedulingPod::id).sorted().toList(),
          n.inFlight(),
          n.markedForDeletion(),
          n.nodePool());
    }
  }

  @Test
  void provisioningAndDisruptionSeeTheSameExistingNodes(@TempDir Path tmp) throws Exception {
    // A third node still starting (not-ready and uninitialized taints) with a lasting taint too.
    Path starting = tmp.resolve("starting.yaml");
    Files.writeString(
        starting,
        """
        apiVersion: v1
        kind: Node
        metadata:
          name: ip-10-0-1-12.ec2.internal
          creationTimestamp: "2026-01-01T00:00:00Z"
          labels:
            karpenter.sh/nodepool: default
            karpenter.sh/capacity-type: on-demand
            node.kubernetes.io/instance-type: m5.2xlarge
            topology.kubernetes.io/zone: us-east-1c
            kubernetes.io/arch: amd64
            kubernetes.io/os: linux
        spec:
          providerID: aws:///us-east-1c/i-0000000000000003
          taints:
            - {key: node.kubernetes.io/not-ready, effect: NoSchedule}
            - {key: node.cloudprovider.kubernetes.io/uninitialized, value: "true", effect: NoSchedule}
            - {key: dedicated, value: batch, effect: NoSchedule}
        status:
          capacity: {cpu: "8", memory: 32Gi, pods: "58"}
          allocatable: {cpu: 7910m, memory: 31Gi, pods: "58"}
        """);
    Manifests m =
        Manifests.read(
            List.of(
                DIR.resolve("nodepool.yaml"),
                DIR.resolve("existing.yaml"),
                DIR.resolve("inflate.yaml"),
                starting));
    SimulationInput in = SimulationInput.of(m, cloud, NOW);

    List<ExistingNode> provisioning =
        new SchedulingInputs(in.cluster(), in.cloud()).snapshot(in.pending()).input().nodes();
    List<ExistingNode> disruption =
        new ModelBuilder(in.cluster(), in.cloud(), false)
            .build(
                new ModelBuilder.Context(
                    NOW, in.cluster().podDisruptionBudgets(), Set.of(), Map.of(), false, Map.of()))
            .model()
            .nodes();

    assertThat(provisioning).hasSize(3);
    assertThat(disruption.stream().map(Seen::of).toList())
        .isEqualTo(provisioning.stream().map(Seen::of).toList());
    ExistingNode startingNode =
        provisioning.stream()
            .filter(n -> n.name().equals("ip-10-0-1-12.ec2.internal"))
            .findFirst()
            .orElseThrow();
    assertThat(startingNode.taints())
        .extracting(Taint::key)
        .containsExactly("dedicated"); // the start-up taints are about to go, the lasting one stays
    assertThat(provisioning.stream().filter(n -> n.name().equals("ip-10-0-1-10.ec2.internal")))
        .singleElement()
        .satisfies(n -> assertThat(n.pods()).extracting(SchedulingPod::id).hasSize(1));
  }
}
