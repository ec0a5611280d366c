package dev.dovetail.controllers.autoscaling.horizontalautoscaler;

import static dev.dovetail.apis.autoscaling.v1alpha1.Autoscaling.ABLE_TO_SCALE;
import static dev.dovetail.apis.autoscaling.v1alpha1.Autoscaling.ACTIVE;
import static dev.dovetail.apis.autoscaling.v1alpha1.Autoscaling.SCALING_UNBOUNDED;

import dev.dovetail.apis.autoscaling.v1alpha1.HorizontalAutoscaler;
import dev.dovetail.apis.autoscaling.v1alpha1.HorizontalAutoscalerStatus;
import dev.dovetail.apis.autoscaling.v1alpha1.Metric;
import dev.dovetail.apis.autoscaling.v1alpha1.MetricTarget;
import dev.dovetail.kube.Conditions;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles HorizontalAutoscalers (Karpenter v0.1): each pass queries every metric, takes the
 * largest proposal ({@link Proportional}), applies behavior and bounds ({@link ScalingDecision}),
 * writes the target's replicas and the status. When a query fails or returns nothing the target is
 * left as it is and Active=False says why: an outage never scales anything to zero.
 *
 * <p>The stabilization and policy history is kept in memory per autoscaler, as the HPA controller
 * does; after a restart the windows start empty.
 */
public final class HorizontalAutoscalerController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HorizontalAutoscalerController.class);

  private final KubernetesClient client;
  private final PrometheusClient prometheus;
  private final ScaleTargets targets;
  private final Clock clock;
  private final Map<String, ScalingHistory> histories = new ConcurrentHashMap<>();
  private dev.dovetail.controllers.PeriodicController loop;

  public HorizontalAutoscalerController(
      KubernetesClient client, PrometheusClient prometheus, Clock clock) {
    this.client = client;
    this.prometheus = prometheus;
    this.targets = new ScaleTargets(client);
    this.clock = clock;
  }

  public HorizontalAutoscalerController start(Duration period) {
    loop =
        dev.dovetail.controllers.PeriodicController.every(
                period, "horizontalautoscaler", this::reconcileAll)
            .start();
    return this;
  }

  /** One pass over every HorizontalAutoscaler. */
  public void reconcileAll() {
    for (HorizontalAutoscaler ha :
        client.resources(HorizontalAutoscaler.class).inAnyNamespace().list().getItems()) {
      try {
        reconcile(ha);
      } catch (KubernetesClientException e) {
        LOG.warn(
            "horizontalautoscaler {}/{}: {}",
            ha.getMetadata().getNamespace(),
            ha.getMetadata().getName(),
            e.toString());
      }
    }
  }

  void reconcile(HorizontalAutoscaler ha) {
    Instant now = clock.instant();
    String ns = ha.getMetadata().getNamespace();
    HorizontalAutoscalerStatus status =
        ha.getStatus() == null ? new HorizontalAutoscalerStatus() : ha.getStatus();
    ha.setStatus(status);
    if (status.conditions == null) {
      status.conditions = new ArrayList<>();
    }
    Long gen = ha.getMetadata().getGeneration();
    var spec = ha.getSpec();

    var scale = targets.get(ns, spec.scaleTargetRef);
    if (scale.isEmpty()) {
      Conditions.set(
          status.conditions,
          ABLE_TO_SCALE,
          false,
          "TargetNotFound",
          spec.scaleTargetRef.kind + " " + ns + "/" + spec.scaleTargetRef.name + " not found",
          gen,
          now);
      writeStatus(ha);
      return;
    }
    int current = scale.get().specReplicas();
    status.currentReplicas = scale.get().observed();

    // 1. every metric's proposal; any failure holds the current scale
    int recommendation = Integer.MIN_VALUE;
    List<HorizontalAutoscalerStatus.MetricStatus> observed = new ArrayList<>();
    for (Metric m : spec.metrics == null ? List.<Metric>of() : spec.metrics) {
      var source = m.prometheus;
      PrometheusClient.Result r = prometheus.query(source.query);
      if (r instanceof PrometheusClient.Result.Failure f) {
        Conditions.set(
            status.conditions,
            ACTIVE,
            false,
            f.reason(),
            f.message() + "; holding " + current + " replicas",
            gen,
            now);
        status.desiredReplicas = current;
        writeStatus(ha);
        return;
      }
      double value = ((PrometheusClient.Result.Value) r).value();
      var ms = new HorizontalAutoscalerStatus.MetricStatus();
      ms.prometheus = new HorizontalAutoscalerStatus.PrometheusMetricStatus();
      ms.prometheus.query = source.query;
      ms.prometheus.value = Double.toString(value);
      observed.add(ms);
      recommendation =
          Math.max(
              recommendation,
              Proportional.recommend(
                  source.target.type, targetValue(source.target), value, status.currentReplicas));
    }
    if (observed.isEmpty()) {
      Conditions.set(
          status.conditions,
          ACTIVE,
          false,
          "NoMetrics",
          "no metrics; holding " + current + " replicas",
          gen,
          now);
      writeStatus(ha);
      return;
    }
    status.currentMetrics = observed;
    Conditions.set(status.conditions, ACTIVE, true, "MetricsAvailable", "", gen, now);

    // 2. behavior and bounds
    String key = ns + "/" + ha.getMetadata().getName();
    ScalingDecision d =
        ScalingDecision.decide(
            current,
            recommendation,
            spec.minReplicas,
            spec.maxReplicas,
            ScalingRulesResolved.scaleUp(spec.behavior),
            ScalingRulesResolved.scaleDown(spec.behavior),
            histories.getOrDefault(key, ScalingHistory.EMPTY),
            now);
    Conditions.set(
        status.conditions,
        SCALING_UNBOUNDED,
        d.boundedBy() == null,
        d.boundedBy() == null ? "Unbounded" : "BoundedByMinMax",
        d.boundedBy() == null ? "" : d.boundedBy(),
        gen,
        now);

    // 3. write the target
    if (d.desired() != current) {
      try {
        targets.set(ns, spec.scaleTargetRef, current, d.desired());
      } catch (RuntimeException e) {
        Conditions.set(
            status.conditions,
            ABLE_TO_SCALE,
            false,
            "FailedUpdateScale",
            "scaling " + spec.scaleTargetRef.name + " to " + d.desired() + ": " + e.getMessage(),
            gen,
            now);
        writeStatus(ha);
        return;
      }
      status.lastScaleTime = now.toString();
      LOG.info(
          "{} scaled {} {} from {} to {}",
          key,
          spec.scaleTargetRef.kind,
          spec.scaleTargetRef.name,
          current,
          d.desired());
    }
    histories.put(key, d.history());
    status.desiredReplicas = d.desired();
    Conditions.set(
        status.conditions,
        ABLE_TO_SCALE,
        d.limitedBy() == null,
        d.limitedBy() == null ? "ReadyForNewScale" : "ScaleLimitedByBehavior",
        d.limitedBy() == null ? "" : d.limitedBy(),
        gen,
        now);
    writeStatus(ha);
  }

  /** The target of a metric: v0.1 puts it in {@code value} for every type. */
  static double targetValue(MetricTarget t) {
    Quantity q = t.value != null ? t.value : t.averageValue;
    if (q != null) {
      return q.getNumericalAmount().doubleValue();
    }
    return t.averageUtilization == null ? Double.NaN : t.averageUtilization;
  }

  private void writeStatus(HorizontalAutoscaler ha) {
    client
        .resources(HorizontalAutoscaler.class)
        .inNamespace(ha.getMetadata().getNamespace())
        .resource(ha)
        .updateStatus();
  }

  @Override
  public void close() {
    if (loop != null) {
      loop.close();
    }
  }
}
