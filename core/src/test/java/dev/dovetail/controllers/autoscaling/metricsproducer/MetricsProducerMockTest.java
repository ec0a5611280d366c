package dev.dovetail.controllers.autoscaling.metricsproducer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.autoscaling.v1alpha1.Autoscaling;
import dev.dovetail.apis.autoscaling.v1alpha1.MetricsProducer;
import dev.dovetail.apis.autoscaling.v1alpha1.QueueSpec;
import dev.dovetail.apis.autoscaling.v1alpha1.ReservedCapacitySpec;
import dev.dovetail.cloudprovider.QueueMetrics;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.kube.Conditions;
import dev.dovetail.kube.EmbeddedApiServer;
import dev.dovetail.metrics.Metrics;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MetricsProducers against the embedded API server: the values appear in the operator registry's
 * Prometheus text (what {@code /metrics} serves) under v0.1's names and equal hand-computed
 * figures.
 */
class MetricsProducerMockTest {
  EmbeddedApiServer server;
  KubernetesClient client;
  Metrics metrics = new Metrics();
  MutableClock clock = new MutableClock(Instant.parse("2026-01-07T18:00:00Z"));

  /** A cloud provider's queue extension, answering from a map. */
  static final class Queues implements QueueMetrics {
    final Map<String, Long> lengths;

    Queues(Map<String, Long> lengths) {
      this.lengths = lengths;
    }

    @Override
    public Set<String> supportedQueueTypes() {
      return Set.of("AWSSQSQueue");
    }

    @Override
    public long length(String type, String id) {
      Long l = lengths.get(id);
      if (l == null) {
        throw new dev.dovetail.cloudprovider.CloudProviderException("no queue " + id);
      }
      return l;
    }
  }

  @BeforeEach
  void start() {
    server = EmbeddedApiServer.start();
    server.expectCustomResource(
        Autoscaling.GROUP, Autoscaling.VERSION, "MetricsProducer", "metricsproducers", true);
    client = server.client();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  void node(String name, String group, boolean ready) {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("eks.amazonaws.com/nodegroup", group)
                .endMetadata()
                .withNewStatus()
                .addToAllocatable("cpu", new Quantity("4"))
                .addToAllocatable("memory", new Quantity("8Gi"))
                .addToAllocatable("pods", new Quantity("110"))
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .endStatus()
                .build())
        .create();
  }

  void pod(String name, String node, String phase, String... cpuMem) {
    var spec =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node);
    for (int i = 0; i < cpuMem.length; i += 2) {
      spec =
          spec.addNewContainer()
              .withName("c" + i)
              .withImage("x")
              .withNewResources()
              .addToRequests("cpu", new Quantity(cpuMem[i]))
              .addToRequests("memory", new Quantity(cpuMem[i + 1]))
              .endResources()
              .endContainer();
    }
    client
        .pods()
        .inNamespace("default")
        .resource(spec.endSpec().withNewStatus().withPhase(phase).endStatus().build())
        .create();
  }

  MetricsProducer producer(String name) {
    MetricsProducer mp = new MetricsProducer();
    mp.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    return mp;
  }

  @Test
  void reservedCapacityIsExportedUnderV01NamesWithHandComputedValues() {
    node("n1", "default", true);
    node("n2", "default", true);
    node("n3", "default", false); // not ready: not counted
    node("n4", "other", true); // other group
    pod("a", "n1", "Running", "500m", "1Gi");
    pod("b", "n1", "Running", "500m", "1Gi");
    pod("c", "n2", "Running", "1", "2Gi", "1", "0");
    pod("done", "n2", "Succeeded", "3", "3Gi"); // finished: reserves nothing
    pod("d", "n3", "Running", "2", "2Gi");
    pod("e", "n4", "Running", "2", "2Gi");
    MetricsProducer mp = producer("microservices");
    mp.getSpec().reservedCapacity = new ReservedCapacitySpec();
    mp.getSpec().reservedCapacity.nodeSelector = Map.of("eks.amazonaws.com/nodegroup", "default");
    client.resource(mp).create();

    new MetricsProducerController(
            client, new Object(), "simulated", new ProducerGauges(metrics.registry()), clock)
        .reconcileAll();

    String scrape = metrics.registry().scrape();
    String labels = "{name=\"microservices\",namespace=\"default\",}";
    // cpu: (0.5 + 0.5 + 1 + 1) of 2 x 4 cores
    assertThat(scrape).contains("karpenter_reserved_capacity_cpu_reserved" + labels + " 3.0");
    assertThat(scrape).contains("karpenter_reserved_capacity_cpu_capacity" + labels + " 8.0");
    assertThat(scrape).contains("karpenter_reserved_capacity_cpu_utilization" + labels + " 0.375");
    // memory: (1 + 1 + 2) Gi of 16 Gi
    assertThat(scrape)
        .contains("karpenter_reserved_capacity_memory_utilization" + labels + " 0.25");
    assertThat(scrape)
        .contains("karpenter_reserved_capacity_memory_reserved" + labels + " 4.294967296E9");
    // pods: 3 of 220
    assertThat(scrape).contains("karpenter_reserved_capacity_pods_reserved" + labels + " 3.0");
    assertThat(scrape).contains("karpenter_reserved_capacity_pods_capacity" + labels + " 220.0");

    MetricsProducer read =
        client
            .resources(MetricsProducer.class)
            .inNamespace("default")
            .withName("microservices")
            .get();
    assertThat(read.getStatus().reservedCapacity)
        .containsEntry("cpu", "37.50%, 3/8")
        .containsEntry("pods", "1.36%, 3/220");
    assertThat(Conditions.isTrue(read.getStatus().conditions, "Active")).isTrue();
  }

  @Test
  void queueLengthComesFromTheProviderAndAProviderWithoutQueuesSaysSo() {
    MetricsProducer mp = producer("ml-training-queue");
    mp.getSpec().queue = new QueueSpec();
    mp.getSpec().queue.type = "AWSSQSQueue";
    mp.getSpec().queue.id = "arn:aws:sqs:us-west-2:1234567890:ml-training-queue";
    client.resource(mp).create();

    new MetricsProducerController(
            client, new Object(), "gcp", new ProducerGauges(metrics.registry()), clock)
        .reconcileAll();
    var active =
        Conditions.get(
                client
                    .resources(MetricsProducer.class)
                    .inNamespace("default")
                    .withName("ml-training-queue")
                    .get()
                    .getStatus()
                    .conditions,
                "Active")
            .orElseThrow();
    assertThat(active.getStatus()).isEqualTo("False");
    assertThat(active.getMessage())
        .isEqualTo("queue type AWSSQSQueue is not supported by the gcp provider (supported: none)");
    assertThat(metrics.registry().scrape()).doesNotContain("karpenter_queue_length");

    var controller =
        new MetricsProducerController(
            client,
            new Queues(Map.of("arn:aws:sqs:us-west-2:1234567890:ml-training-queue", 42L)),
            "aws",
            new ProducerGauges(metrics.registry()),
            clock);
    controller.reconcileAll();
    assertThat(metrics.registry().scrape())
        .contains("karpenter_queue_length{name=\"ml-training-queue\",namespace=\"default\",} 42.0");
    assertThat(
            client
                .resources(MetricsProducer.class)
                .inNamespace("default")
                .withName("ml-training-queue")
                .get()
                .getStatus()
                .queue
                .length)
        .isEqualTo(42L);

    // deleting the producer removes its gauge
    client
        .resources(MetricsProducer.class)
        .inNamespace("default")
        .withName("ml-training-queue")
        .delete();
    controller.reconcileAll();
    assertThat(metrics.registry().scrape()).doesNotContain("karpenter_queue_length{");
  }

  @Test
  void aScheduleExportsItsCurrentReplicas() throws Exception {
    MetricsProducer mp = producer("scheduling-example");
    mp.getSpec().scheduleSpec = ScheduleTest.example();
    client.resource(mp).create();
    new MetricsProducerController(
            client, new Object(), "aws", new ProducerGauges(metrics.registry()), clock)
        .reconcileAll();
    assertThat(metrics.registry().scrape())
        .contains(
            "karpenter_scheduled_replicas_value{name=\"scheduling-example\",namespace=\"default\",} 6.0");
  }
}
