package dev.dovetail.clusterapi.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** {@code status} of a ClusterAPINodeClass, written by the core from the provider's resolution. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterAPINodeClassStatus {
  @JsonPropertyDescription("The scalable resources the selector matches, one instance type each.")
  public List<ScalableResourceStatus> scalableResources;

  public List<Condition> conditions;
}
