package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code status} of a NodePool, written from observed state. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodePoolStatus {
  private Map<String, Quantity> resources;

  @StatusReplicas
  @Default("0")
  private Long nodes;

  private Long nodeClassObservedGeneration;

  @io.fabric8.crd.generator.annotation.SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions = new ArrayList<>();

  public Map<String, Quantity> getResources() {
    return resources;
  }

  public void setResources(Map<String, Quantity> resources) {
    this.resources = resources;
  }

  public Long getNodes() {
    return nodes;
  }

  public void setNodes(Long nodes) {
    this.nodes = nodes;
  }

  public Long getNodeClassObservedGeneration() {
    return nodeClassObservedGeneration;
  }

  public void setNodeClassObservedGeneration(Long nodeClassObservedGeneration) {
    this.nodeClassObservedGeneration = nodeClassObservedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
