package dev.dovetail.controllers.autoscaling.horizontalautoscaler;

import dev.dovetail.apis.autoscaling.v1alpha1.Behavior;
import dev.dovetail.apis.autoscaling.v1alpha1.ScalingPolicy;
import dev.dovetail.apis.autoscaling.v1alpha1.ScalingRules;
import java.util.ArrayList;
import java.util.List;

/**
 * One direction's rules with v0.1's defaults filled in: scale up has no stabilization window, scale
 * down 300s; both select Max; no policies means the change is not rate limited.
 */
public record ScalingRulesResolved(int windowSeconds, Select select, List<Policy> policies) {
  public static final int DEFAULT_SCALE_UP_WINDOW = 0;
  public static final int DEFAULT_SCALE_DOWN_WINDOW = 300;

  /** Which policy wins: the one allowing the largest change, the smallest, or no change. */
  public enum Select {
    Max,
    Min,
    Disabled
  }

  /** At most {@code value} replicas (or percent when {@code percent}) per {@code periodSeconds}. */
  public record Policy(boolean percent, int value, int periodSeconds) {}

  public ScalingRulesResolved {
    policies = List.copyOf(policies);
  }

  public static ScalingRulesResolved scaleUp(Behavior b) {
    return resolve(b == null ? null : b.scaleUp, DEFAULT_SCALE_UP_WINDOW);
  }

  public static ScalingRulesResolved scaleDown(Behavior b) {
    return resolve(b == null ? null : b.scaleDown, DEFAULT_SCALE_DOWN_WINDOW);
  }

  private static ScalingRulesResolved resolve(ScalingRules r, int defaultWindow) {
    if (r == null) {
      return new ScalingRulesResolved(defaultWindow, Select.Max, List.of());
    }
    List<Policy> policies = new ArrayList<>();
    if (r.policies != null) {
      for (ScalingPolicy p : r.policies) {
        if (p != null && p.type != null && p.value != null && p.periodSeconds != null) {
          policies.add(new Policy(p.type == ScalingPolicy.Type.Percent, p.value, p.periodSeconds));
        }
      }
    }
    return new ScalingRulesResolved(
        r.stabilizationWindowSeconds == null ? defaultWindow : r.stabilizationWindowSeconds,
        r.selectPolicy == null ? Select.Max : Select.valueOf(r.selectPolicy.name()),
        policies);
  }

  int longestPeriodSeconds() {
    int longest = 0;
    for (Policy p : policies) {
      longest = Math.max(longest, p.periodSeconds());
    }
    return longest;
  }
}
