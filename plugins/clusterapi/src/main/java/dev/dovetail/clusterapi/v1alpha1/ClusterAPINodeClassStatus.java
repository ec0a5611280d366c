package dev.dovetail.clusterapi.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** {@code status} of a ClusterAPINodeClass. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterAPINodeClassStatus {
  private List<Condition> conditions;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
