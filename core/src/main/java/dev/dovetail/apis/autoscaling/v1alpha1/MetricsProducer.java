package dev.dovetail.apis.autoscaling.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code autoscaling.karpenter.sh/v1alpha1 MetricsProducer}: computes a metric (reserved capacity
 * of a group of nodes, pending capacity, a schedule, a queue's length) and exports it on the
 * operator's {@code /metrics} under v0.1's names, for HorizontalAutoscalers to query through
 * Prometheus.
 */
@Group(Autoscaling.GROUP)
@Version(Autoscaling.VERSION)
@Singular("metricsproducer")
@Plural("metricsproducers")
@Categories("karpenter")
public class MetricsProducer extends CustomResource<MetricsProducerSpec, MetricsProducerStatus>
    implements Namespaced {

  @Override
  protected MetricsProducerSpec initSpec() {
    return new MetricsProducerSpec();
  }

  @Override
  protected MetricsProducerStatus initStatus() {
    return new MetricsProducerStatus();
  }
}
