package dev.dovetail.controllers.autoscaling;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dovetail.apis.autoscaling.v1alpha1.Autoscaling;
import dev.dovetail.apis.autoscaling.v1alpha1.HorizontalAutoscaler;
import dev.dovetail.apis.autoscaling.v1alpha1.ScalableNodeGroup;
import dev.dovetail.cloudprovider.NodeGroupScaler;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.controllers.autoscaling.horizontalautoscaler.HorizontalAutoscalerController;
import dev.dovetail.controllers.autoscaling.horizontalautoscaler.PrometheusClient;
import dev.dovetail.controllers.autoscaling.scalablenodegroup.ScalableNodeGroupController;
import dev.dovetail.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * v0.1's published queue example applied as written: its HorizontalAutoscaler (one replica per four
 * messages) drives its ScalableNodeGroup through the scale-target path, and the ScalableNodeGroup
 * controller sizes the node group behind the SPI.
 */
class HorizontalAutoscalerToNodeGroupMockTest {
  /**
   * Generous: a query that times out reads as "no metric" and the group keeps its size, which is
   * what a CI run at load 116 saw with 2 s against the local WireMock.
   */
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

  EmbeddedApiServer server;
  KubernetesClient client;
  WireMockServer prometheus;
  MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

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
        Autoscaling.GROUP, Autoscaling.VERSION, "ScalableNodeGroup", "scalablenodegroups", true);
    server.expectCustomResource(
        Autoscaling.GROUP, Autoscaling.VERSION, "MetricsProducer", "metricsproducers", true);
    client = server.client();
    prometheus = new WireMockServer(wireMockConfig().dynamicPort());
    prometheus.start();
  }

  @AfterEach
  void stop() {
    prometheus.stop();
    client.close();
    server.close();
  }

  @Test
  void theQueueExampleSizesTheNodeGroup() throws Exception {
    String example =
        Files.readString(
            Path.of("..", "examples", "autoscaling", "queue-length-average-value.yaml"));
    client
        .load(new ByteArrayInputStream(example.getBytes(StandardCharsets.UTF_8)))
        .inNamespace("default")
        .create();
    prometheus.stubFor(
        get(urlPathEqualTo("/api/v1/query"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                            + "[{\"metric\":{\"name\":\"ml-training-queue\"},"
                            + "\"value\":[1767225600,\"30\"]}]}}")));
    Map<String, Integer> sizes = new HashMap<>();
    String id =
        "arn:aws:eks:us-west-2:1234567890:nodegroup/test-cluster/training-capacity/qwertyuiop";
    sizes.put(id, 1);
    NodeGroupScaler cloud =
        new NodeGroupScaler() {
          @Override
          public Set<String> supportedNodeGroupTypes() {
            return Set.of("AWSEKSNodeGroup");
          }

          @Override
          public int replicas(String type, String gid) {
            return sizes.get(gid);
          }

          @Override
          public void setReplicas(String type, String gid, int replicas) {
            sizes.put(gid, replicas);
          }
        };
    var ha =
        new HorizontalAutoscalerController(
            client, new PrometheusClient(URI.create(prometheus.baseUrl()), QUERY_TIMEOUT), clock);
    var sng = new ScalableNodeGroupController(client, cloud, "aws", clock);

    // 30 messages, one replica per 4: ceil(7.5) = 8
    ha.reconcileAll();
    sng.reconcileAll();
    assertThat(
            client
                .resources(ScalableNodeGroup.class)
                .inNamespace("default")
                .withName("ml-training-capacity")
                .get()
                .getSpec()
                .replicas)
        .isEqualTo(8);
    assertThat(sizes.get(id)).isEqualTo(8);
    assertThat(
            client
                .resources(HorizontalAutoscaler.class)
                .inNamespace("default")
                .withName("ml-training-capacity-autoscaler")
                .get()
                .getStatus()
                .desiredReplicas)
        .isEqualTo(8);
    sng.reconcileAll();
    assertThat(
            client
                .resources(ScalableNodeGroup.class)
                .inNamespace("default")
                .withName("ml-training-capacity")
                .get()
                .getStatus()
                .replicas)
        .isEqualTo(8);
  }
}
