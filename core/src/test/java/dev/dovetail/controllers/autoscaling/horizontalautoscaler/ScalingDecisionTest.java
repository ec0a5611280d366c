package dev.dovetail.controllers.autoscaling.horizontalautoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.autoscaling.v1alpha1.Behavior;
import dev.dovetail.apis.autoscaling.v1alpha1.MetricTarget;
import dev.dovetail.apis.autoscaling.v1alpha1.ScalingPolicy;
import dev.dovetail.apis.autoscaling.v1alpha1.ScalingRules;
import dev.dovetail.controllers.autoscaling.horizontalautoscaler.ScalingRulesResolved.Policy;
import dev.dovetail.controllers.autoscaling.horizontalautoscaler.ScalingRulesResolved.Select;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingDecisionTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ScalingRulesResolved UP = ScalingRulesResolved.scaleUp(null);
  private static final ScalingRulesResolved DOWN = ScalingRulesResolved.scaleDown(null);

  @Test
  void proportionalFollowsV01ForEachTargetType() {
    assertThat(Proportional.recommend(MetricTarget.Type.Value, 4, 8, 3)).isEqualTo(6);
    assertThat(Proportional.recommend(MetricTarget.Type.Value, 4, 8, 0)).isEqualTo(1);
    assertThat(Proportional.recommend(MetricTarget.Type.AverageValue, 4, 10, 7)).isEqualTo(3);
    assertThat(Proportional.recommend(MetricTarget.Type.AverageValue, 4, 0, 7)).isZero();
    // 90% utilization of 2 replicas aiming at 60%: ceil(2 * 0.9 / 60 * 100) = 3
    assertThat(Proportional.recommend(MetricTarget.Type.Utilization, 60, 0.9, 2)).isEqualTo(3);
    assertThat(Proportional.recommend(MetricTarget.Type.Utilization, 60, Double.NaN, 2))
        .isEqualTo(2);
  }

  @Test
  void defaultsAreV01s() {
    assertThat(UP).isEqualTo(new ScalingRulesResolved(0, Select.Max, List.of()));
    assertThat(DOWN).isEqualTo(new ScalingRulesResolved(300, Select.Max, List.of()));
    Behavior b = new Behavior();
    b.scaleDown = new ScalingRules();
    b.scaleDown.selectPolicy = ScalingRules.SelectPolicy.Disabled;
    assertThat(ScalingRulesResolved.scaleDown(b))
        .isEqualTo(new ScalingRulesResolved(300, Select.Disabled, List.of()));
  }

  @Test
  void scaleUpIsImmediateAndScaleDownWaitsForTheWindow() {
    ScalingDecision up = ScalingDecision.decide(2, 6, 1, 10, UP, DOWN, ScalingHistory.EMPTY, T0);
    assertThat(up.desired()).isEqualTo(6);
    assertThat(up.limitedBy()).isNull();

    ScalingDecision early =
        ScalingDecision.decide(6, 2, 1, 10, UP, DOWN, up.history(), T0.plusSeconds(60));
    assertThat(early.desired()).isEqualTo(6);
    assertThat(early.limitedBy()).contains("scaleDown stabilization window");

    // 301s after the recommendation of 6 only the later recommendations of 2 remain in the window
    ScalingDecision later =
        ScalingDecision.decide(6, 2, 1, 10, UP, DOWN, early.history(), T0.plusSeconds(301));
    assertThat(later.desired()).isEqualTo(2);
    assertThat(later.limitedBy()).isNull();
  }

  @Test
  void scaleUpWindowTakesTheLowestRecentRecommendation() {
    ScalingRulesResolved up = new ScalingRulesResolved(120, Select.Max, List.of());
    ScalingDecision first = ScalingDecision.decide(2, 3, 1, 10, up, DOWN, ScalingHistory.EMPTY, T0);
    assertThat(first.desired()).isEqualTo(3);
    ScalingDecision spike =
        ScalingDecision.decide(3, 9, 1, 10, up, DOWN, first.history(), T0.plusSeconds(30));
    assertThat(spike.desired()).isEqualTo(3);
    ScalingDecision sustained =
        ScalingDecision.decide(3, 9, 1, 10, up, DOWN, spike.history(), T0.plusSeconds(121));
    assertThat(sustained.desired()).isEqualTo(9);
  }

  @Test
  void countPolicyLimitsReplicasAddedPerPeriod() {
    ScalingRulesResolved up =
        new ScalingRulesResolved(0, Select.Max, List.of(new Policy(false, 2, 60)));
    ScalingDecision d1 = ScalingDecision.decide(2, 10, 1, 20, up, DOWN, ScalingHistory.EMPTY, T0);
    assertThat(d1.desired()).isEqualTo(4);
    assertThat(d1.limitedBy()).contains("limited to 4 by scaleUp policies");
    ScalingDecision d2 =
        ScalingDecision.decide(4, 10, 1, 20, up, DOWN, d1.history(), T0.plusSeconds(30));
    assertThat(d2.desired()).isEqualTo(4);
    ScalingDecision d3 =
        ScalingDecision.decide(4, 10, 1, 20, up, DOWN, d2.history(), T0.plusSeconds(61));
    assertThat(d3.desired()).isEqualTo(6);
  }

  @Test
  void selectPolicyMaxTakesTheMostPermissiveAndMinTheLeast() {
    List<Policy> policies = List.of(new Policy(false, 4, 60), new Policy(true, 100, 60));
    ScalingRulesResolved max = new ScalingRulesResolved(0, Select.Max, policies);
    ScalingRulesResolved min = new ScalingRulesResolved(0, Select.Min, policies);
    assertThat(
            ScalingDecision.decide(10, 50, 1, 100, max, DOWN, ScalingHistory.EMPTY, T0).desired())
        .isEqualTo(20);
    assertThat(
            ScalingDecision.decide(10, 50, 1, 100, min, DOWN, ScalingHistory.EMPTY, T0).desired())
        .isEqualTo(14);
  }

  @Test
  void percentPolicyLimitsScaleDown() {
    ScalingRulesResolved down =
        new ScalingRulesResolved(0, Select.Max, List.of(new Policy(true, 50, 60)));
    ScalingDecision d1 = ScalingDecision.decide(10, 1, 1, 20, UP, down, ScalingHistory.EMPTY, T0);
    assertThat(d1.desired()).isEqualTo(5);
    // within the same period 5 are already gone: the floor is still 50% of 10
    ScalingDecision d2 =
        ScalingDecision.decide(5, 1, 1, 20, UP, down, d1.history(), T0.plusSeconds(10));
    assertThat(d2.desired()).isEqualTo(5);
    ScalingDecision d3 =
        ScalingDecision.decide(5, 1, 1, 20, UP, down, d2.history(), T0.plusSeconds(61));
    assertThat(d3.desired()).isEqualTo(2);
  }

  @Test
  void disabledForbidsTheDirection() {
    ScalingRulesResolved down = new ScalingRulesResolved(0, Select.Disabled, List.of());
    ScalingDecision d = ScalingDecision.decide(5, 1, 1, 20, UP, down, ScalingHistory.EMPTY, T0);
    assertThat(d.desired()).isEqualTo(5);
    assertThat(d.limitedBy()).contains("scaleDown selectPolicy Disabled");
  }

  @Test
  void boundsAlwaysWin() {
    ScalingDecision high = ScalingDecision.decide(5, 50, 1, 10, UP, DOWN, ScalingHistory.EMPTY, T0);
    assertThat(high.desired()).isEqualTo(10);
    assertThat(high.boundedBy()).isEqualTo("recommendation 50 limited by bounds [1, 10]");
    ScalingRulesResolved down = new ScalingRulesResolved(0, Select.Max, List.of());
    ScalingDecision low = ScalingDecision.decide(5, 0, 2, 10, UP, down, ScalingHistory.EMPTY, T0);
    assertThat(low.desired()).isEqualTo(2);
    assertThat(low.boundedBy()).contains("[2, 10]");
    // a target above max is brought down even inside the scale-down window
    ScalingDecision above =
        ScalingDecision.decide(15, 15, 1, 10, UP, DOWN, ScalingHistory.EMPTY, T0);
    assertThat(above.desired()).isEqualTo(10);
  }

  @Test
  void historyForgetsWhatNoWindowOrPeriodLooksAt() {
    ScalingDecision d1 = ScalingDecision.decide(2, 6, 1, 10, UP, DOWN, ScalingHistory.EMPTY, T0);
    ScalingDecision d2 =
        ScalingDecision.decide(6, 6, 1, 10, UP, DOWN, d1.history(), T0.plusSeconds(1000));
    assertThat(d2.history().recommendations()).hasSize(1);
    assertThat(d2.history().events()).isEmpty();
  }

  @Test
  void scalingPolicyModelConvertsToPolicies() {
    Behavior b = new Behavior();
    b.scaleUp = new ScalingRules();
    b.scaleUp.stabilizationWindowSeconds = 30;
    b.scaleUp.selectPolicy = ScalingRules.SelectPolicy.Min;
    b.scaleUp.policies = List.of(new ScalingPolicy(ScalingPolicy.Type.Percent, 50, 15));
    assertThat(ScalingRulesResolved.scaleUp(b))
        .isEqualTo(new ScalingRulesResolved(30, Select.Min, List.of(new Policy(true, 50, 15))));
  }
}
