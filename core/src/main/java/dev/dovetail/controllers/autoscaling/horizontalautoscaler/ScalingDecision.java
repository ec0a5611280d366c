package dev.dovetail.controllers.autoscaling.horizontalautoscaler;

import dev.dovetail.controllers.autoscaling.horizontalautoscaler.ScalingHistory.Recommendation;
import dev.dovetail.controllers.autoscaling.horizontalautoscaler.ScalingHistory.ScaleEvent;
import java.time.Duration;
import java.time.Instant;

/**
 * The HorizontalPodAutoscaler's behavior applied to a raw recommendation, as a pure function: the
 * stabilization windows (scale up to the lowest, down to the highest recommendation seen within the
 * window), then the rate policies (replicas or percent per period, counted from the target's size
 * at the start of the period; selectPolicy picks the most or least permissive; Disabled forbids the
 * direction), then the min/max clamp, which always wins.
 *
 * @param desired the replicas to write
 * @param history the history to pass to the next decision
 * @param limitedBy why the change was held back by a window or a policy (AbleToScale false), or
 *     null
 * @param boundedBy why min/max cut the recommendation (ScalingUnbounded false), or null
 */
public record ScalingDecision(
    int desired, ScalingHistory history, String limitedBy, String boundedBy) {

  public static ScalingDecision decide(
      int current,
      int recommendation,
      int minReplicas,
      int maxReplicas,
      ScalingRulesResolved up,
      ScalingRulesResolved down,
      ScalingHistory history,
      Instant now) {
    // 1. stabilization over past raw recommendations, this one included
    int upRecommendation = recommendation;
    int downRecommendation = recommendation;
    Instant upCutoff = now.minusSeconds(up.windowSeconds());
    Instant downCutoff = now.minusSeconds(down.windowSeconds());
    for (Recommendation r : history.recommendations()) {
      if (r.at().isAfter(upCutoff)) {
        upRecommendation = Math.min(upRecommendation, r.replicas());
      }
      if (r.at().isAfter(downCutoff)) {
        downRecommendation = Math.max(downRecommendation, r.replicas());
      }
    }
    int stabilized = current;
    if (stabilized < upRecommendation) {
      stabilized = upRecommendation;
    }
    if (stabilized > downRecommendation) {
      stabilized = downRecommendation;
    }
    String limitedBy = null;
    if (stabilized != recommendation) {
      limitedBy =
          "recommendation "
              + recommendation
              + " held at "
              + stabilized
              + " by the "
              + (recommendation > current ? "scaleUp" : "scaleDown")
              + " stabilization window";
    }

    // 2. rate policies
    int limited = stabilized;
    if (stabilized > current) {
      int limit = Math.max(current, upLimit(current, up, history, now));
      if (stabilized > limit) {
        limited = limit;
        limitedBy =
            "scale up from "
                + current
                + " to "
                + stabilized
                + " limited to "
                + limit
                + (up.select() == ScalingRulesResolved.Select.Disabled
                    ? " (scaleUp selectPolicy Disabled)"
                    : " by scaleUp policies");
      }
    } else if (stabilized < current) {
      int limit = Math.min(current, downLimit(current, down, history, now));
      if (stabilized < limit) {
        limited = limit;
        limitedBy =
            "scale down from "
                + current
                + " to "
                + stabilized
                + " limited to "
                + limit
                + (down.select() == ScalingRulesResolved.Select.Disabled
                    ? " (scaleDown selectPolicy Disabled)"
                    : " by scaleDown policies");
      }
    }

    // 3. bounds always win
    int desired = Math.max(minReplicas, Math.min(maxReplicas, limited));
    String boundedBy =
        desired == limited
            ? null
            : "recommendation "
                + limited
                + " limited by bounds ["
                + minReplicas
                + ", "
                + maxReplicas
                + "]";

    Duration keep =
        Duration.ofSeconds(
            Math.max(
                Math.max(up.windowSeconds(), down.windowSeconds()),
                Math.max(up.longestPeriodSeconds(), down.longestPeriodSeconds())));
    ScalingHistory next =
        history.with(
            new Recommendation(now, recommendation), new ScaleEvent(now, desired - current), keep);
    return new ScalingDecision(desired, next, limitedBy, boundedBy);
  }

  private static int upLimit(
      int current, ScalingRulesResolved rules, ScalingHistory history, Instant now) {
    if (rules.select() == ScalingRulesResolved.Select.Disabled) {
      return current;
    }
    if (rules.policies().isEmpty()) {
      return Integer.MAX_VALUE;
    }
    boolean max = rules.select() == ScalingRulesResolved.Select.Max;
    long result = max ? Long.MIN_VALUE : Long.MAX_VALUE;
    for (ScalingRulesResolved.Policy p : rules.policies()) {
      int added = history.changedSince(now.minusSeconds(p.periodSeconds()), true);
      long start = (long) current - added;
      long proposed =
          p.percent() ? (long) Math.ceil(start * (1 + p.value() / 100.0)) : start + p.value();
      result = max ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return (int) Math.min(Integer.MAX_VALUE, result);
  }

  private static int downLimit(
      int current, ScalingRulesResolved rules, ScalingHistory history, Instant now) {
    if (rules.select() == ScalingRulesResolved.Select.Disabled) {
      return current;
    }
    if (rules.policies().isEmpty()) {
      return 0;
    }
    boolean max = rules.select() == ScalingRulesResolved.Select.Max;
    long result = max ? Long.MAX_VALUE : Long.MIN_VALUE;
    for (ScalingRulesResolved.Policy p : rules.policies()) {
      int removed = history.changedSince(now.minusSeconds(p.periodSeconds()), false);
      long start = (long) current + removed;
      long proposed = p.percent() ? (long) (start * (1 - p.value() / 100.0)) : start - p.value();
      // Max selects the policy allowing the largest change: the lowest floor
      result = max ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return (int) Math.max(0, result);
  }
}
