package dev.dovetail.controllers.nodeclass;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.NodeClassStatus.Condition;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.ForwardingCloudProvider;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.Conditions;
import dev.dovetail.metrics.Metrics;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.plugins.simulated.KWOKNodeClass;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The NodeClass status controller on the embedded API: the provider's resolved status reaches
 * {@code .status}, readiness flows to NodePools and provisioning, provider failures keep the last
 * status, and the finalizer waits for NodeClaims before the provider cleans up.
 */
class NodeClassStatusMockTest {
  private final ForwardingCloudProvider provider =
      new ForwardingCloudProvider(new SimulatedCloud());
  private final AtomicReference<Object> answer = new AtomicReference<>();
  private final Metrics metrics = new Metrics();
  private Harness h;

  @BeforeEach
  void start() {
    answer.set(NodeClassStatus.ready(Map.of()));
    provider.nodeClassStatus =
        nc -> {
          Object a = answer.get();
          if (a instanceof RuntimeException e) {
            throw e;
          }
          return Optional.of((NodeClassStatus) a);
        };
    h =
        new Harness()
            .start(
                provider,
                Harness.settings(),
                Harness.simulated(),
                new DovetailOperator.Listeners(
                    metrics, metrics, dev.dovetail.cloudprovider.InterruptionListener.IGNORE),
                o -> o.withNodeClassResync(Duration.ofMillis(200)));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private GenericKubernetesResource nodeClass(String name) {
    return h.client
        .genericKubernetesResources(ResourceDefinitionContext.fromResourceType(KWOKNodeClass.class))
        .withName(name)
        .get();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource obj) {
    Object s = obj == null ? null : obj.getAdditionalProperties().get("status");
    return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static Optional<Map<String, Object>> condition(
      GenericKubernetesResource obj, String type) {
    Object list = status(obj).get("conditions");
    if (!(list instanceof List<?> l)) {
      return Optional.empty();
    }
    return l.stream()
        .map(c -> (Map<String, Object>) c)
        .filter(c -> type.equals(c.get("type")))
        .findFirst();
  }

  private Optional<io.fabric8.kubernetes.api.model.Condition> poolCondition(String type) {
    NodePool p = h.client.resources(NodePool.class).withName("default").get();
    return p == null || p.getStatus() == null
        ? Optional.empty()
        : Conditions.get(p.getStatus().getConditions(), type);
  }

  @Test
  void providerStatusIsMergedWithDerivedReadyAndKeptTransitionTime() throws Exception {
    answer.set(
        new NodeClassStatus(
            Map.of("subnets", List.of(Map.of("id", "subnet-1", "zone", "test-zone-a"))),
            List.of(
                Condition.isTrue("SubnetsReady", "SubnetsReady"),
                Condition.isTrue("AMIsReady", "AMIsReady"))));
    Eventually.await(
        Duration.ofSeconds(10),
        () ->
            condition(nodeClass("default"), "Ready")
                .map(c -> "True".equals(c.get("status")))
                .orElse(false),
        () -> "status: " + status(nodeClass("default")));
    GenericKubernetesResource obj = nodeClass("default");
    assertThat(status(obj).get("subnets"))
        .isEqualTo(List.of(Map.of("id", "subnet-1", "zone", "test-zone-a")));
    assertThat(condition(obj, "SubnetsReady")).isPresent();
    assertThat(condition(obj, "Ready").get().get("observedGeneration"))
        .isEqualTo(obj.getMetadata().getGeneration().intValue());
    assertThat(obj.getMetadata().getFinalizers()).contains("karpenter.kwok.sh/termination");
    Object transition = condition(obj, "Ready").get().get("lastTransitionTime");

    // Unchanged status over several resyncs at a later time: the transition time stays.
    h.clock.advance(Duration.ofMinutes(5));
    Thread.sleep(700);
    assertThat(condition(nodeClass("default"), "Ready").get().get("lastTransitionTime"))
        .isEqualTo(transition);

    // One condition turns False: Ready follows with its message, and so does the NodePool.
    h.client.resource(Harness.nodePool("default", List.of())).create();
    answer.set(
        new NodeClassStatus(
            Map.of("subnets", List.of()),
            List.of(
                Condition.isFalse("SubnetsReady", "SubnetsNotFound", "no subnet matches"),
                Condition.isTrue("AMIsReady", "AMIsReady"))));
    Eventually.await(
        Duration.ofSeconds(10),
        () ->
            poolCondition(Karpenter.Conditions.NODE_CLASS_READY)
                .map(
                    c ->
                        "False".equals(c.getStatus())
                            && c.getMessage().contains("no subnet matches"))
                .orElse(false),
        () -> "pool: " + poolCondition(Karpenter.Conditions.NODE_CLASS_READY));
    Map<String, Object> ready = condition(nodeClass("default"), "Ready").get();
    assertThat(ready.get("status")).isEqualTo("False");
    assertThat(ready.get("lastTransitionTime")).isNotEqualTo(transition);
    assertThat(status(nodeClass("default")).get("subnets")).isEqualTo(List.of());
    assertThat(poolCondition(Karpenter.Conditions.READY).get().getStatus()).isEqualTo("False");
  }

  @Test
  void notReadyNodeClassBlocksProvisioningWithAnEventUntilReady() throws Exception {
    answer.set(NodeClassStatus.notReady(Map.of(), "AMIsNotFound", "no image matches the selector"));
    h.client.resource(Harness.nodePool("default", List.of())).create();
    Eventually.await(
        Duration.ofSeconds(10),
        () ->
            poolCondition(Karpenter.Conditions.NODE_CLASS_READY)
                .map(c -> "False".equals(c.getStatus()))
                .orElse(false),
        () -> "pool: " + poolCondition(Karpenter.Conditions.NODE_CLASS_READY));
    h.client.resource(Harness.pendingPod("p", "500m", "256Mi")).create();
    Eventually.await(
        Duration.ofSeconds(15),
        () ->
            events("NodeClassNotReady").stream()
                .anyMatch(e -> e.getNote().contains("no image matches")),
        () -> "events: " + events("NodeClassNotReady"));
    assertThat(h.nodeClaims()).isEmpty();
    // The counter moves just after the event is written: wait for it rather than race it.
    Eventually.await(
        Duration.ofSeconds(10),
        () ->
            metrics
                    .registry()
                    .find("dovetail.controller.errors")
                    .tag("reason", "NodeClassNotReady")
                    .counter()
                != null,
        () -> "no dovetail_controller_errors_total{reason=NodeClassNotReady}");

    answer.set(NodeClassStatus.ready(Map.of()));
    Eventually.await(
        Duration.ofSeconds(20), () -> !h.nodeClaims().isEmpty(), () -> "no NodeClaim once Ready");
  }

  @Test
  void providerFailureKeepsTheLastStatusAndNeverMakesANewNodeClassReady() throws Exception {
    answer.set(NodeClassStatus.ready(Map.of("amis", List.of(Map.of("id", "ami-1")))));
    Eventually.await(
        Duration.ofSeconds(10),
        () -> condition(nodeClass("default"), "Ready").isPresent(),
        () -> "status: " + status(nodeClass("default")));
    answer.set(new IllegalStateException("DescribeImages throttled"));
    KWOKNodeClass other = new KWOKNodeClass();
    other.setMetadata(new ObjectMetaBuilder().withName("other").build());
    h.client.resource(other).create();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> {
          var c =
              metrics
                  .registry()
                  .find("dovetail.controller.errors")
                  .tag("reason", "ProviderError")
                  .counter();
          return c != null && c.count() >= 3;
        },
        () -> "no provider errors counted");
    assertThat(status(nodeClass("default")).get("amis")).isEqualTo(List.of(Map.of("id", "ami-1")));
    assertThat(condition(nodeClass("default"), "Ready").get().get("status")).isEqualTo("True");
    assertThat(condition(nodeClass("other"), "Ready")).isEmpty();
  }

  @Test
  void finalizerWaitsForNodeClaimsThenFinalizesOnce() throws Exception {
    Eventually.await(
        Duration.ofSeconds(10),
        () ->
            nodeClass("default")
                .getMetadata()
                .getFinalizers()
                .contains("karpenter.kwok.sh/termination"),
        () -> "no finalizer");
    NodeClaim claim = h.launch(Harness.nodeClaim("a", null));
    provider.finalizeFailure = new IllegalStateException("launch template in use");
    h.client.resources(KWOKNodeClass.class).withName("default").delete();
    Thread.sleep(800);
    assertThat(nodeClass("default")).isNotNull();
    assertThat(provider.finalized).isEmpty();
    assertThat(events("WaitingOnNodeClaimTermination")).isNotEmpty();

    h.client.resource(claim).delete();
    Eventually.await(
        Duration.ofSeconds(20),
        () -> h.nodeClaims().isEmpty() && !events("FinalizeFailed").isEmpty(),
        () -> "claims: " + h.nodeClaims().size());
    assertThat(nodeClass("default")).isNotNull(); // the failure keeps the finalizer
    provider.finalizeFailure = null;
    Eventually.await(
        Duration.ofSeconds(20), () -> nodeClass("default") == null, () -> "NodeClass not released");
    assertThat(provider.finalized).containsExactly("default");
  }

  private List<io.fabric8.kubernetes.api.model.events.v1.Event> events(String reason) {
    return h.client.events().v1().events().inAnyNamespace().list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
