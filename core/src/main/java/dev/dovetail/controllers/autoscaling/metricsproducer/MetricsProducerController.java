package dev.dovetail.controllers.autoscaling.metricsproducer;

import static dev.dovetail.apis.autoscaling.v1alpha1.Autoscaling.ACTIVE;

import dev.dovetail.apis.autoscaling.v1alpha1.MetricsProducer;
import dev.dovetail.apis.autoscaling.v1alpha1.MetricsProducerSpec;
import dev.dovetail.apis.autoscaling.v1alpha1.MetricsProducerStatus;
import dev.dovetail.cloudprovider.QueueMetrics;
import dev.dovetail.controllers.PeriodicController;
import dev.dovetail.kube.Conditions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces each MetricsProducer's metric (Karpenter v0.1) onto the operator's {@code /metrics}
 * ({@link ProducerGauges}) and into its status: reserved capacity of a node group, a schedule, a
 * cloud queue's length (through the provider's optional {@link QueueMetrics}). pendingCapacity is
 * accepted but produces nothing, as in v0.1, where it was never implemented; its status says so.
 * Gauges of deleted producers are removed.
 */
public final class MetricsProducerController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsProducerController.class);

  private final KubernetesClient client;
  private final Object provider;
  private final String providerName;
  private final ProducerGauges gauges;
  private final Clock clock;
  private final Set<String> known = new HashSet<>();
  private PeriodicController loop;

  public MetricsProducerController(
      KubernetesClient client,
      Object provider,
      String providerName,
      ProducerGauges gauges,
      Clock clock) {
    this.client = client;
    this.provider = provider;
    this.providerName = providerName;
    this.gauges = gauges;
    this.clock = clock;
  }

  public MetricsProducerController start(Duration period) {
    loop = PeriodicController.every(period, "metricsproducer", this::reconcileAll).start();
    return this;
  }

  public synchronized void reconcileAll() {
    Set<String> seen = new HashSet<>();
    for (MetricsProducer mp :
        client.resources(MetricsProducer.class).inAnyNamespace().list().getItems()) {
      seen.add(mp.getMetadata().getNamespace() + "/" + mp.getMetadata().getName());
      try {
        reconcile(mp);
        client
            .resources(MetricsProducer.class)
            .inNamespace(mp.getMetadata().getNamespace())
            .resource(mp)
            .updateStatus();
      } catch (KubernetesClientException e) {
        LOG.warn("metricsproducer {}: {}", mp.getMetadata().getName(), e.toString());
      }
    }
    for (String gone : known) {
      if (!seen.contains(gone)) {
        String[] nsName = gone.split("/", 2);
        gauges.forget(nsName[1], nsName[0]);
      }
    }
    known.clear();
    known.addAll(seen);
  }

  void reconcile(MetricsProducer mp) {
    Instant now = clock.instant();
    MetricsProducerStatus status =
        mp.getStatus() == null ? new MetricsProducerStatus() : mp.getStatus();
    mp.setStatus(status);
    if (status.conditions == null) {
      status.conditions = new ArrayList<>();
    }
    Long gen = mp.getMetadata().getGeneration();
    String name = mp.getMetadata().getName();
    String ns = mp.getMetadata().getNamespace();
    MetricsProducerSpec spec = mp.getSpec();
    try {
      if (spec.reservedCapacity != null) {
        reservedCapacity(mp, status, name, ns);
      } else if (spec.scheduleSpec != null) {
        int replicas = Schedule.replicas(spec.scheduleSpec, now);
        status.scheduledCapacity = new MetricsProducerStatus.ScheduledCapacityStatus();
        status.scheduledCapacity.currentValue = replicas;
        gauges.set("scheduled_replicas_value", name, ns, replicas);
      } else if (spec.queue != null) {
        if (!queue(mp, status, name, ns, gen, now)) {
          return;
        }
      } else if (spec.pendingCapacity != null) {
        status.pendingCapacity = Map.of();
        Conditions.set(
            status.conditions,
            ACTIVE,
            true,
            "NotImplemented",
            "pendingCapacity produces no metric (Karpenter v0.1 never implemented it)",
            gen,
            now);
        return;
      } else {
        Conditions.set(
            status.conditions,
            ACTIVE,
            false,
            "NoProducer",
            "set one of reservedCapacity, scheduleSpec, queue, pendingCapacity",
            gen,
            now);
        return;
      }
    } catch (DateTimeException | IllegalArgumentException e) {
      Conditions.set(status.conditions, ACTIVE, false, "InvalidSpec", e.getMessage(), gen, now);
      return;
    } catch (RuntimeException e) {
      Conditions.set(status.conditions, ACTIVE, false, "ProduceFailed", e.getMessage(), gen, now);
      return;
    }
    Conditions.set(status.conditions, ACTIVE, true, "MetricProduced", "", gen, now);
  }

  private void reservedCapacity(
      MetricsProducer mp, MetricsProducerStatus status, String name, String ns) {
    List<Node> nodes =
        client.nodes().withLabels(mp.getSpec().reservedCapacity.nodeSelector).list().getItems();
    List<Pod> pods = nodes.isEmpty() ? List.of() : client.pods().inAnyNamespace().list().getItems();
    Map<String, String> text = new LinkedHashMap<>();
    for (var e : ReservedCapacity.of(nodes, pods).entrySet()) {
      var r = e.getValue();
      String resource = e.getKey();
      gauges.set(
          "reserved_capacity_" + resource + "_reserved", name, ns, r.reserved().doubleValue());
      gauges.set(
          "reserved_capacity_" + resource + "_capacity", name, ns, r.capacity().doubleValue());
      gauges.set("reserved_capacity_" + resource + "_utilization", name, ns, r.utilization());
      text.put(
          resource,
          String.format(
              Locale.ROOT,
              "%.2f%%, %s/%s",
              r.utilization() * 100,
              r.reserved().stripTrailingZeros().toPlainString(),
              r.capacity().stripTrailingZeros().toPlainString()));
    }
    status.reservedCapacity = text;
  }

  private boolean queue(
      MetricsProducer mp,
      MetricsProducerStatus status,
      String name,
      String ns,
      Long gen,
      Instant now) {
    String type = mp.getSpec().queue.type;
    if (!(provider instanceof QueueMetrics queues)
        || !queues.supportedQueueTypes().contains(type)) {
      String supported =
          provider instanceof QueueMetrics q
              ? String.join(", ", new TreeSet<>(q.supportedQueueTypes()))
              : "none";
      Conditions.set(
          status.conditions,
          ACTIVE,
          false,
          "UnsupportedQueueType",
          "queue type "
              + type
              + " is not supported by the "
              + providerName
              + " provider"
              + " (supported: "
              + supported
              + ")",
          gen,
          now);
      return false;
    }
    long length = queues.length(type, mp.getSpec().queue.id);
    long age = queues.oldestMessageAgeSeconds(type, mp.getSpec().queue.id);
    status.queue = new MetricsProducerStatus.QueueStatus();
    status.queue.length = length;
    gauges.set("queue_length", name, ns, length);
    if (age >= 0) {
      status.queue.oldestMessageAgeSeconds = age;
      gauges.set("queue_oldest_message_age_seconds", name, ns, age);
    }
    return true;
  }

  @Override
  public void close() {
    if (loop != null) {
      loop.close();
    }
  }
}
