package dev.dovetail.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvictionDispatcherTest {

  @Test
  void disruptionsAllowedFollowMinAvailableAndMaxUnavailable() {
    List<Pod> pods =
        List.of(
            pod("a", "web", "n1"),
            pod("b", "web", "n1"),
            pod("c", "web", "n1"),
            pod("d", "db", "n1"));
    assertThat(EvictionDispatcher.disruptionsAllowed(min("web", new IntOrString(2)), pods))
        .isEqualTo(1);
    assertThat(EvictionDispatcher.disruptionsAllowed(min("web", new IntOrString(3)), pods))
        .isZero();
    assertThat(EvictionDispatcher.disruptionsAllowed(min("web", new IntOrString("50%")), pods))
        .isEqualTo(1); // ceil(1.5) = 2 must stay
    assertThat(EvictionDispatcher.disruptionsAllowed(max("web", new IntOrString(1)), pods))
        .isEqualTo(1);
    assertThat(EvictionDispatcher.disruptionsAllowed(max("web", new IntOrString(0)), pods))
        .isZero();
  }

  @Test
  void unboundAndTerminatingPodsAreNotHealthy() {
    Pod pending = pod("p", "web", null);
    Pod terminating = pod("t", "web", "n1");
    terminating.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    List<Pod> pods = List.of(pod("a", "web", "n1"), pending, terminating);
    // expected 3, healthy 1, minAvailable 1: none may go
    assertThat(EvictionDispatcher.disruptionsAllowed(min("web", new IntOrString(1)), pods))
        .isZero();
  }

  @Test
  void theEmbeddedServerAnswers429WhenABudgetWouldBeViolated() {
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        var client = api.client()) {
      client.resource(pod("a", "web", "n1")).create();
      client.resource(pod("b", "web", "n1")).create();
      client.resource(min("web", new IntOrString(1))).create();
      var noRetry =
          client
              .newClient(
                  new io.fabric8.kubernetes.client.RequestConfigBuilder(
                          client.getConfiguration().getRequestConfig())
                      .withRequestRetryBackoffLimit(0)
                      .build())
              .adapt(io.fabric8.kubernetes.client.KubernetesClient.class);
      assertThat(noRetry.pods().inNamespace("default").withName("a").evict()).isTrue();
      assertThat(client.pods().inNamespace("default").withName("a").get()).isNull();
      assertThat(noRetry.pods().inNamespace("default").withName("b").evict()).isFalse();
      assertThat(client.pods().inNamespace("default").withName("b").get()).isNotNull();
    }
  }

  private static Pod pod(String name, String app, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase(node == null ? "Pending" : "Running")
        .endStatus()
        .build();
  }

  private static PodDisruptionBudget min(String app, IntOrString v) {
    PodDisruptionBudget pdb = base(app);
    pdb.getSpec().setMinAvailable(v);
    return pdb;
  }

  private static PodDisruptionBudget max(String app, IntOrString v) {
    PodDisruptionBudget pdb = base(app);
    pdb.getSpec().setMaxUnavailable(v);
    return pdb;
  }

  private static PodDisruptionBudget base(String app) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(app)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", app)
        .endSelector()
        .endSpec()
        .build();
  }
}
