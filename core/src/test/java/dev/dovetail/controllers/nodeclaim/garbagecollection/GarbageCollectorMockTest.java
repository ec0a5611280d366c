package dev.dovetail.controllers.nodeclaim.garbagecollection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.ForwardingCloudProvider;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GarbageCollectorMockTest {
  private Harness h;
  private SimulatedCloud sim;
  private ForwardingCloudProvider cloud;
  private GarbageCollector gc;

  @BeforeEach
  void start() {
    sim = new SimulatedCloud();
    cloud = new ForwardingCloudProvider(sim);
    h = new Harness().start(cloud);
    gc =
        new GarbageCollector(
            h.client,
            cloud,
            h.dovetail.state(),
            new EventRecorder(h.client, h.clock, Duration.ofMinutes(5)),
            h.clock,
            Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void aLeakedInstanceIsTerminatedAfterTheGracePeriodAndForeignOnesAreNeverTouched()
      throws Exception {
    Instance leaked =
        sim.create(
            new NodeClaimView(
                "leaked-1",
                "default",
                Map.of(),
                Map.of(),
                List.of(),
                List.of(),
                null,
                Resources.EMPTY,
                null,
                null,
                null,
                null));
    Instance foreign =
        new Instance(
            "simulated:///us-east-1a/i-foreign",
            null,
            null,
            "m5.large",
            "us-east-1a",
            "on-demand",
            "img",
            Map.of(),
            Resources.EMPTY,
            Resources.EMPTY,
            Instant.EPOCH,
            "running");
    cloud.extra.add(foreign);

    assertThat(gc.collect().terminatedInstances()).isEmpty(); // too young: may be in flight
    assertThat(sim.list()).extracting(Instance::providerId).contains(leaked.providerId());

    h.clock.advance(Duration.ofSeconds(31));
    GarbageCollector.Result result = gc.collect();

    assertThat(result.terminatedInstances()).containsExactly(leaked.providerId());
    assertThat(sim.list()).isEmpty();
    assertThat(cloud.deletes).doesNotContain(foreign.providerId());
  }

  @Test
  void aRegisteredNodeClaimWhoseInstanceVanishedIsDeletedOnceItsNodeIsNotReady() throws Exception {
    NodeClaim claim = h.launch(Harness.nodeClaim("c1", null));
    String pid = claim.getStatus().getProviderID();
    String node = claim.getStatus().getNodeName();
    h.clock.advance(Duration.ofMinutes(5));
    cloud.hidden.add(pid);

    assertThat(gc.collect().deletedNodeClaims()).isEmpty(); // its node is still Ready

    h.client
        .nodes()
        .withName(node)
        .editStatus(
            n -> {
              n.getStatus()
                  .setConditions(
                      List.of(
                          new NodeConditionBuilder()
                              .withType("Ready")
                              .withStatus("Unknown")
                              .withReason("NodeStatusUnknown")
                              .build()));
              return n;
            });
    Eventually.await(
        Duration.ofSeconds(10),
        () -> !gc.collect().deletedNodeClaims().isEmpty() || h.nodeClaims().isEmpty(),
        () -> "NodeClaim not collected: " + h.nodeClaims());
    Eventually.await(
        Duration.ofSeconds(30),
        () -> h.nodeClaims().isEmpty() && h.client.nodes().withName(node).get() == null,
        () -> "NodeClaim not terminated: " + h.nodeClaims());
    assertThat(cloud.deletes).contains(pid);
  }
}
