package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * At most {@code value} replicas (Count) or percent (Percent) of change per {@code periodSeconds}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScalingPolicy {
  @Required public Type type;

  @Required
  @Min(1)
  public Integer value;

  @Required
  @Min(1)
  @Max(1800)
  public Integer periodSeconds;

  public ScalingPolicy() {}

  public ScalingPolicy(Type type, int value, int periodSeconds) {
    this.type = type;
    this.value = value;
    this.periodSeconds = periodSeconds;
  }

  /** {@code Count} or {@code Percent}. */
  public enum Type {
    Count,
    Percent
  }
}
