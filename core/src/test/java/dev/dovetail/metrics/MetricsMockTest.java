package dev.dovetail.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Budget;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.Harness;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The termination, pod and disruption-budget metrics, driven through the real controllers on the
 * embedded API server and read back from the Prometheus scrape.
 */
class MetricsMockTest {
  private Harness h;
  private Metrics metrics;

  @BeforeEach
  void start() {
    metrics = new Metrics();
    h =
        new Harness()
            .start(
                new SimulatedCloud(),
                Harness.settings(),
                Harness.simulated(),
                new DovetailOperator.Listeners(metrics, metrics, InterruptionListener.IGNORE));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void terminationCountsEvictionsByCodeTheDrainAndItsDuration() throws Exception {
    NodeClaim claim = h.launch(Harness.nodeClaim("c1", null));
    String node = claim.getStatus().getNodeName();
    h.client.resource(Harness.boundPod("web-1", node, Map.of("tier", "web"))).create();
    h.client
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withMinAvailable(new IntOrString(1))
                .withNewSelector()
                .addToMatchLabels("tier", "web")
                .endSelector()
                .endSpec()
                .build())
        .create();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> h.dovetail.state().pods().size() == 1,
        () -> "pod not in cluster state");

    h.client.resources(NodeClaim.class).withName("c1").delete();
    Eventually.await(
        Duration.ofSeconds(20),
        () -> scrape().contains("karpenter_nodes_eviction_requests_total{code=\"429\",}"),
        this::scrape);
    assertThat(scrape()).doesNotContain("karpenter_nodes_drained_total");

    h.client.policy().v1().podDisruptionBudget().inNamespace("default").withName("web").delete();
    Eventually.await(
        Duration.ofSeconds(30),
        () -> h.nodeClaims().isEmpty(),
        () -> "not terminated: " + h.nodeClaims());
    String text = scrape();
    assertThat(text)
        .contains("karpenter_nodes_eviction_requests_total{code=\"200\",} 1.0")
        .contains("karpenter_nodes_drained_total{nodepool=\"default\",} 1.0")
        .contains("karpenter_nodes_termination_duration_seconds_count{nodepool=\"default\",} 1");
  }

  @Test
  void aPodSeenRunningIsMeasuredOnceFromCreationToReady() throws Exception {
    NodeClaim claim = h.launch(Harness.nodeClaim("c2", null));
    Pod pod = Harness.boundPod("app", claim.getStatus().getNodeName(), Map.of());
    h.client.resource(pod).create();
    Pod stored = h.client.pods().inNamespace("default").withName("app").get();
    java.time.Instant created =
        java.time.Instant.parse(stored.getMetadata().getCreationTimestamp());
    stored
        .getStatus()
        .setConditions(
            List.of(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus("True")
                    .withLastTransitionTime(created.plusSeconds(42).toString())
                    .build()));
    h.client.resource(stored).updateStatus();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> scrape().contains("karpenter_pods_startup_duration_seconds_count 1.0"),
        this::scrape);
    // A later update of the same pod is not measured again.
    Pod again = h.client.pods().inNamespace("default").withName("app").get();
    again.getMetadata().setLabels(Map.of("touched", "yes"));
    h.client.resource(again).update();
    Eventually.await(
        Duration.ofSeconds(10),
        () ->
            "yes".equals(h.dovetail.state().pods().get(0).getMetadata().getLabels().get("touched")),
        () -> "update not seen");
    assertThat(scrape()).contains("karpenter_pods_startup_duration_seconds_count 1.0");
    double sum =
        metrics
            .registry()
            .get("karpenter.pods.startup.duration")
            .timer()
            .totalTime(java.util.concurrent.TimeUnit.SECONDS);
    // The first sighting may come before the Ready condition (Running only): then it is measured
    // to that moment, which is before the condition's 42 s.
    assertThat(sum).isBetween(0.0, 42.0);
  }

  @Test
  void aDisruptionPassPublishesEachNodePoolsAllowedDisruptionsByReason() throws Exception {
    NodePool pool =
        Harness.nodePool("default", List.of(Harness.req(WellKnownLabels.ARCH, "In", "amd64")));
    Budget drift = new Budget("0");
    drift.setReasons(List.of("Drifted"));
    pool.getSpec().getDisruption().setBudgets(List.of(new Budget("2"), drift));
    h.client.resource(pool).create();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> !h.dovetail.state().nodePools().isEmpty(),
        () -> "nodepool not in cluster state");

    h.dovetail.disruption().reconcileOnce();

    String text = scrape();
    assertThat(text)
        .contains(
            "karpenter_nodepools_allowed_disruptions{nodepool=\"default\",reason=\"Drifted\",} 0.0")
        .contains(
            "karpenter_nodepools_allowed_disruptions{nodepool=\"default\",reason=\"Empty\",} 2.0")
        .contains(
            "karpenter_nodepools_allowed_disruptions{nodepool=\"default\",reason=\"Underutilized\",} 2.0");
  }

  private String scrape() {
    return metrics.registry().scrape();
  }
}
