package dev.dovetail.clusterapi.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** {@code spec} of a ClusterAPINodeClass. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterAPINodeClassSpec {
  /**
   * Selects, by label, the Cluster API scalable resources that take part in provisioning; each must
   * carry the scale-from-zero capacity annotations so its instance type is known.
   */
  private LabelSelector scalableResourceSelector;

  public LabelSelector getScalableResourceSelector() {
    return scalableResourceSelector;
  }

  public void setScalableResourceSelector(LabelSelector scalableResourceSelector) {
    this.scalableResourceSelector = scalableResourceSelector;
  }
}
