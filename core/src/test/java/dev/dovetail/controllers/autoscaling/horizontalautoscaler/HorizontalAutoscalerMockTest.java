package dev.dovetail.controllers.autoscaling.horizontalautoscaler;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.dovetail.apis.autoscaling.v1alpha1.Autoscaling;
import dev.dovetail.apis.autoscaling.v1alpha1.Behavior;
import dev.dovetail.apis.autoscaling.v1alpha1.CrossVersionObjectReference;
import dev.dovetail.apis.autoscaling.v1alpha1.HorizontalAutoscaler;
import dev.dovetail.apis.autoscaling.v1alpha1.Metric;
import dev.dovetail.apis.autoscaling.v1alpha1.MetricTarget;
import dev.dovetail.apis.autoscaling.v1alpha1.PrometheusMetricSource;
import dev.dovetail.apis.autoscaling.v1alpha1.ScalingPolicy;
import dev.dovetail.apis.autoscaling.v1alpha1.ScalingRules;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.kube.Conditions;
import dev.dovetail.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HorizontalAutoscalers against the embedded API server with a WireMock-served Prometheus and a
 * hand-moved clock: a Deployment and a Cluster API MachineDeployment scale up and down honouring
 * policies, windows and bounds; a Prometheus outage or an empty result holds the scale.
 *
 * <p>The mock server has no {@code scale} subresource; the controller writes {@code spec.replicas}
 * of the target, which is what the subresource maps to for these kinds.
 */
class HorizontalAutoscalerMockTest {
  static final String NS = "default";
  EmbeddedApiServer server;
  KubernetesClient client;
  WireMockServer prometheus;
  MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  HorizontalAutoscalerController controller;

  @BeforeEach
  void start() {
    server = EmbeddedApiServer.start();
    server.expectCustomResource(
        Autoscaling.GROUP,
        Autoscaling.VERSION,
        "HorizontalAutoscaler",
        "horizontalautoscalers",
        true);
    server.expectCustomResource(
        "cluster.x-k8s.io", "v1beta1", "MachineDeployment", "machinedeployments", true);
    client = server.client();
    prometheus = new WireMockServer(wireMockConfig().dynamicPort());
    prometheus.start();
    controller =
        new HorizontalAutoscalerController(
            client,
            new PrometheusClient(URI.create(prometheus.baseUrl()), Duration.ofSeconds(30)),
            clock);
  }

  @AfterEach
  void stop() {
    controller.close();
    prometheus.stop();
    client.close();
    server.close();
  }

  void promReturns(String query, String value) {
    prometheus.stubFor(
        get(urlPathEqualTo("/api/v1/query"))
            .withQueryParam("query", equalTo(query))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                            + (value == null
                                ? ""
                                : "{\"metric\":{\"name\":\"q\"},\"value\":[1767225600,"
                                    + "\""
                                    + value
                                    + "\"]}")
                            + "]}}")));
  }

  static HorizontalAutoscaler autoscaler(
      String name,
      String apiVersion,
      String kind,
      String target,
      int min,
      int max,
      MetricTarget.Type type,
      String query,
      String value,
      Behavior behavior) {
    HorizontalAutoscaler ha = new HorizontalAutoscaler();
    ha.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    ha.getSpec().scaleTargetRef = new CrossVersionObjectReference(apiVersion, kind, target);
    ha.getSpec().minReplicas = min;
    ha.getSpec().maxReplicas = max;
    Metric m = new Metric();
    m.prometheus = new PrometheusMetricSource();
    m.prometheus.query = query;
    m.prometheus.target = new MetricTarget();
    m.prometheus.target.type = type;
    m.prometheus.target.value = new Quantity(value);
    ha.getSpec().metrics = List.of(m);
    ha.getSpec().behavior = behavior;
    return ha;
  }

  int deploymentReplicas() {
    return client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("worker")
        .get()
        .getSpec()
        .getReplicas();
  }

  HorizontalAutoscaler read(String name) {
    return client.resources(HorizontalAutoscaler.class).inNamespace(NS).withName(name).get();
  }

  void pass(Duration advance) {
    clock.advance(advance);
    controller.reconcileAll();
  }

  @Test
  void aDeploymentFollowsAQueueWithinPoliciesWindowsAndBounds() {
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("worker")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "w")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "w")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("w")
                .withImage("w")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    Behavior b = new Behavior();
    b.scaleUp = new ScalingRules();
    b.scaleUp.policies = List.of(new ScalingPolicy(ScalingPolicy.Type.Count, 3, 60));
    b.scaleDown = new ScalingRules();
    b.scaleDown.stabilizationWindowSeconds = 120;
    client
        .resource(
            autoscaler(
                "worker",
                "apps/v1",
                "Deployment",
                "worker",
                1,
                10,
                MetricTarget.Type.AverageValue,
                "karpenter_queue_length{name=\"q\"}",
                "4",
                b))
        .create();
    String q = "karpenter_queue_length{name=\"q\"}";

    // 20 messages at 4 per replica: 5 wanted, and 3 may be added per minute: 2 -> 5
    promReturns(q, "20");
    pass(Duration.ZERO);
    assertThat(deploymentReplicas()).isEqualTo(5);
    HorizontalAutoscaler ha = read("worker");
    assertThat(ha.getStatus().desiredReplicas).isEqualTo(5);
    assertThat(ha.getStatus().lastScaleTime).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(Conditions.isTrue(ha.getStatus().conditions, "Active")).isTrue();

    // 40 messages: 10 wanted, but 3 were already added this minute
    promReturns(q, "40");
    pass(Duration.ofSeconds(10));
    assertThat(deploymentReplicas()).isEqualTo(5);
    ha = read("worker");
    assertThat(Conditions.get(ha.getStatus().conditions, "AbleToScale").orElseThrow().getMessage())
        .contains("limited to 5 by scaleUp policies");

    // a minute later three more
    pass(Duration.ofSeconds(61));
    assertThat(deploymentReplicas()).isEqualTo(8);

    // 400 messages: 100 wanted, max is 10
    promReturns(q, "400");
    pass(Duration.ofSeconds(61));
    assertThat(deploymentReplicas()).isEqualTo(10);
    ha = read("worker");
    assertThat(Conditions.get(ha.getStatus().conditions, "ScalingUnbounded").orElseThrow())
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"))
        .satisfies(c -> assertThat(c.getMessage()).contains("limited by bounds [1, 10]"));

    // the queue drains: held for the 120s scale-down window after the last high recommendation
    promReturns(q, "0");
    pass(Duration.ofSeconds(30));
    assertThat(deploymentReplicas()).isEqualTo(10);
    pass(Duration.ofSeconds(60));
    assertThat(deploymentReplicas()).isEqualTo(10);
    pass(Duration.ofSeconds(31));
    // 0 wanted, min is 1
    assertThat(deploymentReplicas()).isEqualTo(1);
    assertThat(read("worker").getStatus().desiredReplicas).isEqualTo(1);
  }

  @Test
  void aPrometheusOutageOrAnEmptyResultHoldsTheScale() {
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("worker")
                .endMetadata()
                .withNewSpec()
                .withReplicas(6)
                .withNewSelector()
                .addToMatchLabels("app", "w")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "w")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("w")
                .withImage("w")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    Behavior fast = new Behavior();
    fast.scaleDown = new ScalingRules();
    fast.scaleDown.stabilizationWindowSeconds = 0;
    client
        .resource(
            autoscaler(
                "worker",
                "apps/v1",
                "Deployment",
                "worker",
                0,
                10,
                MetricTarget.Type.AverageValue,
                "jobs",
                "4",
                fast))
        .create();

    prometheus.stubFor(
        get(urlPathEqualTo("/api/v1/query"))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    pass(Duration.ofMinutes(10));
    assertThat(deploymentReplicas()).isEqualTo(6);
    var active = Conditions.get(read("worker").getStatus().conditions, "Active").orElseThrow();
    assertThat(active.getStatus()).isEqualTo("False");
    assertThat(active.getReason()).isEqualTo("PrometheusUnavailable");
    assertThat(active.getMessage()).contains("holding 6 replicas");

    prometheus.resetAll();
    promReturns("jobs", null);
    pass(Duration.ofMinutes(10));
    assertThat(deploymentReplicas()).isEqualTo(6);
    active = Conditions.get(read("worker").getStatus().conditions, "Active").orElseThrow();
    assertThat(active.getReason()).isEqualTo("EmptyResult");

    // a real zero is obeyed (minReplicas 0)
    promReturns("jobs", "0");
    pass(Duration.ofMinutes(1));
    assertThat(deploymentReplicas()).isZero();
  }

  @Test
  void aMachineDeploymentScalesOnAValueTarget() {
    GenericKubernetesResource md =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("cluster.x-k8s.io/v1beta1")
            .withKind("MachineDeployment")
            .withNewMetadata()
            .withName("md-0")
            .withNamespace(NS)
            .endMetadata()
            .withAdditionalProperties(
                Map.of(
                    "spec",
                    new java.util.HashMap<>(Map.of("replicas", 2, "clusterName", "c")),
                    "status",
                    Map.of("replicas", 2)))
            .build();
    client
        .genericKubernetesResources("cluster.x-k8s.io/v1beta1", "MachineDeployment")
        .inNamespace(NS)
        .resource(md)
        .create();
    Behavior b = new Behavior();
    b.scaleDown = new ScalingRules();
    b.scaleDown.stabilizationWindowSeconds = 60;
    b.scaleDown.policies = List.of(new ScalingPolicy(ScalingPolicy.Type.Percent, 50, 60));
    client
        .resource(
            autoscaler(
                "md",
                "cluster.x-k8s.io/v1beta1",
                "MachineDeployment",
                "md-0",
                1,
                20,
                MetricTarget.Type.Value,
                "pending",
                "100",
                b))
        .create();

    // 2 replicas observing 300 against a target of 100: ceil(2 * 3) = 6
    promReturns("pending", "300");
    pass(Duration.ZERO);
    assertThat(mdReplicas()).isEqualTo(6);

    // status.replicas still says 2 (no controller here); 25 -> ceil(2 * 0.25) = 1, held by window
    promReturns("pending", "25");
    pass(Duration.ofSeconds(30));
    assertThat(mdReplicas()).isEqualTo(6);
    // after the window, 50% per minute: 6 -> 3
    pass(Duration.ofSeconds(31));
    assertThat(mdReplicas()).isEqualTo(3);
    pass(Duration.ofSeconds(61));
    assertThat(mdReplicas()).isEqualTo(1);
  }

  int mdReplicas() {
    GenericKubernetesResource md =
        client
            .genericKubernetesResources("cluster.x-k8s.io/v1beta1", "MachineDeployment")
            .inNamespace(NS)
            .withName("md-0")
            .get();
    return ((Number) ((Map<?, ?>) md.getAdditionalProperties().get("spec")).get("replicas"))
        .intValue();
  }
}
