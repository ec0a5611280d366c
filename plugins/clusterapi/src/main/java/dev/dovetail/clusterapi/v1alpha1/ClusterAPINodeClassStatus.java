package dev.dovetail.clusterapi.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** {@code status} of a ClusterAPINodeClass, written by the core from the provider's resolution. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterAPINodeClassStatus {
  @JsonPropertyDescription("The scalable resources the selector matches, one instance type each.")
  private List<ScalableResourceStatus> scalableResources;

  private List<Condition> conditions;

  public List<ScalableResourceStatus> getScalableResources() {
    return scalableResources;
  }

  public void setScalableResources(List<ScalableResourceStatus> scalableResources) {
    this.scalableResources = scalableResources;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
