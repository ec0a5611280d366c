package dev.dovetail.controllers.nodeclaim.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.Conditions;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A NodeClaim whose node never registers is deleted after the TTL and its instance terminated. */
class RegistrationTtlMockTest {
  private final Harness h = new Harness();
  private final SimulatedCloud sim = new SimulatedCloud();

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void aNodeClaimWhoseNodeNeverRegistersIsCleanedUpAfterTheTtl() throws Exception {
    // The simulated kubelet would take an hour: the node never registers during the test.
    h.start(
        sim,
        Harness.settings(),
        Map.of("catalog", "aws", "launchLatency", "1h"),
        DovetailOperator.Listeners.NONE);
    h.client.resource(Harness.nodeClaim("silent", null)).create();
    Eventually.await(
        Duration.ofSeconds(20),
        () -> {
          NodeClaim c = h.client.resources(NodeClaim.class).withName("silent").get();
          return c.getStatus() != null
              && Conditions.isTrue(c.getStatus().getConditions(), Karpenter.Conditions.LAUNCHED);
        },
        () -> "not launched: " + h.nodeClaims());
    assertThat(sim.list()).hasSize(1);

    h.clock.advance(Duration.ofMinutes(14));
    touch("silent");
    // Not yet: 14 of 15 minutes.
    Eventually.await(Duration.ofSeconds(5), () -> touched("silent"), () -> "touch not seen");
    assertThat(h.client.resources(NodeClaim.class).withName("silent").get()).isNotNull();

    h.clock.advance(Duration.ofMinutes(2));
    touch("silent"); // wakes the reconciler now instead of at its next timed requeue
    Eventually.await(
        Duration.ofSeconds(20),
        () -> h.nodeClaims().isEmpty() && sim.list().isEmpty(),
        () -> "still there: " + h.nodeClaims() + " instances " + sim.list());
    assertThat(
            h.client.events().v1().events().inAnyNamespace().list().getItems().stream()
                .anyMatch(e -> "RegistrationTimeout".equals(e.getReason())))
        .isTrue();
  }

  private void touch(String name) {
    h.client
        .resources(NodeClaim.class)
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"test/touched\":\"" + h.clock.instant() + "\"}}}");
  }

  private boolean touched(String name) {
    return h.dovetail
        .state()
        .nodeClaim(name)
        .map(c -> c.getMetadata().getAnnotations())
        .map(a -> a.containsKey("test/touched"))
        .orElse(false);
  }
}
