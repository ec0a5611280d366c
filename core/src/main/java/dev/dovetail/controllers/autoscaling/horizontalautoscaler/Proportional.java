package dev.dovetail.controllers.autoscaling.horizontalautoscaler;

import dev.dovetail.apis.autoscaling.v1alpha1.MetricTarget;

/**
 * The HorizontalPodAutoscaler's proportional rule, as Karpenter v0.1 applied it to one metric:
 *
 * <ul>
 *   <li>Value: {@code ceil(replicas * observed / target)}, at least 1;
 *   <li>AverageValue: {@code ceil(observed / target)} (the metric is a total, e.g. a queue's
 *       length, to be shared so each replica gets {@code target}); may be 0;
 *   <li>Utilization: {@code ceil(replicas * observed * 100 / target)}, at least 1, where the metric
 *       is a fraction (v0.1's {@code *_utilization} gauges) and the target a percentage.
 * </ul>
 */
public final class Proportional {
  private Proportional() {}

  public static int recommend(
      MetricTarget.Type type, double target, double observed, int replicas) {
    if (!(target > 0) || Double.isNaN(observed) || Double.isInfinite(observed)) {
      return replicas;
    }
    // multiply before dividing: 2 * 0.9 / 60 * 100 is 3.0000000000000004, 2 * 0.9 * 100 / 60 is 3
    double result =
        switch (type) {
          case Value -> Math.max(1, Math.ceil(replicas * observed / target));
          case AverageValue -> Math.ceil(observed / target);
          case Utilization -> Math.max(1, Math.ceil(replicas * observed * 100 / target));
        };
    return result >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, result);
  }
}
