package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What a HorizontalAutoscaler scales, between which bounds, on which metrics, how fast. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.maxReplicas >= self.minReplicas",
    message = "maxReplicas must be greater than or equal to minReplicas")
public class HorizontalAutoscalerSpec {
  /** The object whose scale subresource is written. */
  @Required public CrossVersionObjectReference scaleTargetRef;

  /** Lower bound of the replicas the autoscaler sets (may be 0, e.g. a queue worker group). */
  @Required
  @Min(0)
  public Integer minReplicas;

  /** Upper bound of the replicas the autoscaler sets. */
  @Required
  @Min(0)
  public Integer maxReplicas;

  /** Each metric proposes a replica count; the largest wins (as the HPA does). */
  public List<Metric> metrics = new ArrayList<>();

  /** Scaling rules for each direction; HPA defaults when absent. */
  public Behavior behavior;
}
