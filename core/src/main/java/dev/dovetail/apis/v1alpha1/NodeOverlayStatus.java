package dev.dovetail.apis.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** {@code status} of a NodeOverlay: {@code ValidationSucceeded} and {@code Ready}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeOverlayStatus {
  @io.fabric8.crd.generator.annotation.SchemaFrom(
      type = dev.dovetail.apis.v1.ConditionSchema[].class)
  public List<Condition> conditions = new ArrayList<>();
}
