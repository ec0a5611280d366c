package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/** Rules for one scaling direction. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScalingRules {
  /** Seconds after the last scale during which no scale in this direction happens. */
  @Min(0)
  @Max(3600)
  public Integer stabilizationWindowSeconds;

  /** Which policy wins when several apply: the one allowing the most (Max), least (Min), none. */
  public SelectPolicy selectPolicy;

  /** Limits on how much replicas may change within a period. */
  public List<ScalingPolicy> policies;

  /** {@code Max}, {@code Min} or {@code Disabled}. */
  public enum SelectPolicy {
    Max,
    Min,
    Disabled
  }
}
