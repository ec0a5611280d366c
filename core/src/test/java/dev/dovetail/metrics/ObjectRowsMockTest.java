package dev.dovetail.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.kube.EmbeddedApiServer;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code karpenter_pods_state} and {@code karpenter_nodes_allocatable} are read from the cluster
 * state when scraped: upstream's labels, the rows following the objects without a refresh, and no
 * meter registered per pod.
 */
class ObjectRowsMockTest {
  private final EmbeddedApiServer api = EmbeddedApiServer.start();
  private final KubernetesClient client = api.client();
  private final ClusterState state = new ClusterState(client, Clock.systemUTC()).start();
  private final Metrics metrics = new Metrics();

  @AfterEach
  void stop() {
    state.close();
    client.close();
    api.close();
  }

  @Test
  void podAndNodeRowsCarryUpstreamsLabelsAndFollowTheObjectsAtScrapeTime() throws Exception {
    client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("node-a")
                .withLabels(
                    Map.of(
                        "karpenter.sh/nodepool", "default",
                        "topology.kubernetes.io/zone", "zone-1",
                        "node.kubernetes.io/instance-type", "m5.large",
                        "kubernetes.io/arch", "amd64",
                        "karpenter.sh/capacity-type", "spot"))
                .endMetadata()
                .withNewStatus()
                .withAllocatable(
                    Map.of("cpu", new Quantity("1930m"), "memory", new Quantity("7Gi")))
                .endStatus()
                .build())
        .create();
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("web-1")
                .withNamespace("default")
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName("web-5d4")
                .withUid("u1")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-a")
                .addNewContainer()
                .withName("c")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build())
        .create();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> state.pods().size() == 1 && state.nodes().size() == 1,
        () -> "the informers caught up");

    assertThat(metrics.registry().scrape())
        .as("no rows before the state is known")
        .doesNotContain("karpenter_pods_state{");
    metrics.observe(state);
    String text = metrics.registry().scrape();

    assertThat(text)
        .contains(
            "karpenter_pods_state{name=\"web-1\",namespace=\"default\","
                + "owner=\"/apis/apps/v1/namespaces/default/replicasets/web-5d4\",node=\"node-a\","
                + "scheduled=\"true\",nodepool=\"default\",zone=\"zone-1\",arch=\"amd64\","
                + "capacity_type=\"spot\",instance_type=\"m5.large\",phase=\"Running\","
                + "ready=\"true\",managed=\"true\",} 1.0");
    assertThat(text)
        .contains(
            "karpenter_nodes_allocatable{nodepool=\"default\",zone=\"zone-1\",region=\"\","
                + "instance_type=\"m5.large\",arch=\"amd64\",os=\"\",capacity_type=\"spot\","
                + "windows_build=\"\",node_name=\"node-a\",phase=\"\",managed=\"true\","
                + "resource_type=\"cpu\",} 1.93");
    assertThat(text).contains("# TYPE karpenter_pods_state gauge");
    assertThat(metrics.registry().getMeters())
        .as("nothing is registered per pod or node")
        .noneMatch(m -> m.getId().getName().startsWith("karpenter.pods.state"))
        .noneMatch(m -> m.getId().getName().startsWith("karpenter.nodes.allocatable"));

    // A second pod shows on the next scrape with no refresh in between; a deleted one goes.
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("web-2")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .build())
        .create();
    client.pods().inNamespace("default").withName("web-1").delete();
    Eventually.await(
        Duration.ofSeconds(10),
        () ->
            state.pods().size() == 1 && "web-2".equals(state.pods().get(0).getMetadata().getName()),
        () -> "the informers caught up");
    text = metrics.registry().scrape();
    assertThat(text)
        .contains(
            "karpenter_pods_state{name=\"web-2\",namespace=\"default\",owner=\"\",node=\"\","
                + "scheduled=\"false\",nodepool=\"\",zone=\"\",arch=\"\",capacity_type=\"\","
                + "instance_type=\"\",phase=\"Pending\",ready=\"false\",managed=\"false\",} 1.0")
        .doesNotContain("name=\"web-1\"");
  }
}
