package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** {@code spec} of a NodePool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodePoolSpec {
  @Required private NodeClaimTemplate template = new NodeClaimTemplate();
  private Disruption disruption = new Disruption();
  private Map<String, Quantity> limits;

  @Min(1)
  @Max(100)
  private Integer weight;

  /** Static NodePools (upstream's alpha StaticCapacity): keep exactly this many nodes. */
  @Min(0)
  private Long replicas;

  public NodeClaimTemplate getTemplate() {
    return template;
  }

  public void setTemplate(NodeClaimTemplate template) {
    this.template = template;
  }

  public Disruption getDisruption() {
    return disruption;
  }

  public void setDisruption(Disruption disruption) {
    this.disruption = disruption;
  }

  public Map<String, Quantity> getLimits() {
    return limits;
  }

  public void setLimits(Map<String, Quantity> limits) {
    this.limits = limits;
  }

  public Integer getWeight() {
    return weight;
  }

  public void setWeight(Integer weight) {
    this.weight = weight;
  }

  public Long getReplicas() {
    return replicas;
  }

  public void setReplicas(Long replicas) {
    this.replicas = replicas;
  }
}
