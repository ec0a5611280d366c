package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** Requests over allocatable of the ready, schedulable nodes carrying one label. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReservedCapacitySpec {
  @Required
  @ValidationRule(
      value = "self.size() == 1",
      message = "reserved capacity must refer to exactly one node selector")
  public Map<String, String> nodeSelector;
}
