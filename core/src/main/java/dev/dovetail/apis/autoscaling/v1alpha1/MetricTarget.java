package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The value a metric should have. As in v0.1, {@code value} carries the target for every type (the
 * published examples set {@code value} with AverageValue and Utilization); {@code averageValue} and
 * {@code averageUtilization} are accepted as the HPA's spellings of the same.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.value) || has(self.averageValue) || has(self.averageUtilization)",
    message = "target needs value, averageValue or averageUtilization")
public class MetricTarget {
  @Required public Type type;
  public Quantity value;
  public Quantity averageValue;

  @Min(1)
  public Integer averageUtilization;

  /** {@code Value}, {@code AverageValue} or {@code Utilization}. */
  public enum Type {
    Value,
    AverageValue,
    Utilization
  }
}
