package dev.dovetail.controllers.autoscaling.metricsproducer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MetricsProducer values as gauges under Karpenter v0.1's names, labelled {@code name} and {@code
 * namespace} of the producer: {@code karpenter_<subsystem>_<metric>}, e.g. {@code
 * karpenter_reserved_capacity_cpu_utilization}, {@code karpenter_queue_length}, {@code
 * karpenter_scheduled_replicas_value} (Micrometer's Prometheus naming turns the dots into
 * underscores).
 */
public final class ProducerGauges {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

  public ProducerGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Sets {@code karpenter_<metric>{name, namespace}}; {@code metric} like "queue_length". */
  public void set(String metric, String name, String namespace, double value) {
    String key = metric + "|" + namespace + "|" + name;
    AtomicLong bits =
        values.computeIfAbsent(
            key,
            k -> {
              AtomicLong holder = new AtomicLong(Double.doubleToLongBits(Double.NaN));
              Gauge.builder(
                      "karpenter." + metric.replace('_', '.'),
                      holder,
                      h -> Double.longBitsToDouble(h.get()))
                  .description(
                      "Metric computed by a karpenter metrics producer corresponding to name and"
                          + " namespace labels")
                  .tag("name", name)
                  .tag("namespace", namespace)
                  .register(registry);
              return holder;
            });
    bits.set(Double.doubleToLongBits(value));
  }

  /** Removes every gauge of a producer that no longer exists. */
  public void forget(String name, String namespace) {
    values.keySet().removeIf(k -> k.endsWith("|" + namespace + "|" + name));
    registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("karpenter."))
        .filter(m -> name.equals(m.getId().getTag("name")))
        .filter(m -> namespace.equals(m.getId().getTag("namespace")))
        .toList()
        .forEach(registry::remove);
  }
}
