package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dovetail.apis.v1.ConditionSchema;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** The group's size as the cloud reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScalableNodeGroupStatus {
  @StatusReplicas public Integer replicas;

  /** Active, AbleToScale, Stabilized. */
  @io.fabric8.crd.generator.annotation.SchemaFrom(type = ConditionSchema[].class)
  public List<Condition> conditions = new ArrayList<>();
}
