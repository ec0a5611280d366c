package dev.dovetail.controllers.nodepool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaimTemplate;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.ForwardingCloudProvider;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.Conditions;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NodeRegistrationHealthy on the NodePool, end to end through the operator (upstream's nodepool
 * registrationhealth controller with the lifecycle's liveness and registration hooks): Unknown for
 * a new NodePool, False once half of the last four launches failed (with the launch failure's
 * reason), Unknown again when the NodePool changes, True when a node registers.
 */
class NodeRegistrationHealthyMockTest {
  private final ForwardingCloudProvider provider =
      new ForwardingCloudProvider(new SimulatedCloud());
  private Harness h;

  @BeforeEach
  void start() {
    provider.createFailure =
        new CreateException("InsufficientQuota", "vCPU quota exceeded in the account");
    h = new Harness().start(provider);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private Optional<Condition> condition() {
    NodePool p = h.client.resources(NodePool.class).withName("default").get();
    return p == null || p.getStatus() == null
        ? Optional.empty()
        : Conditions.get(
            p.getStatus().getConditions(), Karpenter.Conditions.NODE_REGISTRATION_HEALTHY);
  }

  private void awaitCondition(String status) throws InterruptedException {
    Eventually.await(
        Duration.ofSeconds(30),
        () -> condition().map(c -> status.equals(c.getStatus())).orElse(false),
        () -> "NodeRegistrationHealthy: " + condition());
  }

  /** Lets the launch of the current NodeClaim time out: the clock passes launchTimeout. */
  private void failOneLaunch(int failuresSoFar) throws InterruptedException {
    Eventually.await(
        Duration.ofSeconds(30), () -> !h.nodeClaims().isEmpty(), () -> "no NodeClaim planned");
    String name = h.nodeClaims().get(0).getMetadata().getName();
    h.clock.advance(Duration.ofMinutes(6)); // past the 5 minute launch timeout
    Eventually.await(
        Duration.ofSeconds(30),
        () -> h.nodeClaims().stream().noneMatch(c -> c.getMetadata().getName().equals(name)),
        () -> "NodeClaim " + name + " not deleted after failure " + (failuresSoFar + 1));
  }

  @Test
  void failuresMakeItFalseAChangeResetsItAndARegistrationMakesItTrue() throws Exception {
    h.client.resource(Harness.nodePool("default", List.of())).create();
    awaitCondition("Unknown");
    assertThat(condition().orElseThrow().getReason()).isEqualTo("AwaitingReconciliation");

    h.client.resource(Harness.pendingPod("web", "500m", "512Mi")).create();
    // Past the launch timeout every launch of the pod's NodeClaims fails (one failure in four is
    // not yet unhealthy: NodePoolHealthTest); half of four failed makes it False.
    failOneLaunch(0);
    awaitCondition("False");
    Condition c = condition().orElseThrow();
    assertThat(c.getReason()).isEqualTo("InsufficientQuota");
    assertThat(c.getMessage()).contains("vCPU quota exceeded");
    // not part of Ready, as upstream
    NodePool pool = h.client.resources(NodePool.class).withName("default").get();
    assertThat(Conditions.isTrue(pool.getStatus().getConditions(), Karpenter.Conditions.READY))
        .isTrue();

    // a change of the NodePool resets it: Unknown, outcomes forgotten (no pod left to launch for)
    h.client.pods().withName("web").delete();
    h.client
        .resources(NodePool.class)
        .withName("default")
        .edit(
            p -> {
              NodeClaimTemplate.ObjectMeta labelled = new NodeClaimTemplate.ObjectMeta();
              labelled.setLabels(Map.of("team", "web"));
              p.getSpec().getTemplate().setMetadata(labelled);
              return p;
            });
    awaitCondition("Unknown");

    // the next launch registers: True
    provider.createFailure = null;
    h.client.resource(Harness.pendingPod("api", "500m", "512Mi")).create();
    awaitCondition("True");
    assertThat(condition().orElseThrow().getObservedGeneration())
        .isEqualTo(
            h.client
                .resources(NodePool.class)
                .withName("default")
                .get()
                .getMetadata()
                .getGeneration());
  }
}
