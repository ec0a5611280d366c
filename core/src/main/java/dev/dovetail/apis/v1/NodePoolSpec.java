package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.Map;

/** {@code spec} of a NodePool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.replicas) == has(oldSelf.replicas)",
    message =
        "Cannot transition NodePool between static (replicas set) and dynamic (replicas unset)"
            + " provisioning modes")
@ValidationRule(
    value =
        "!has(self.replicas) || (!has(self.limits) || size(self.limits) == 0 ||"
            + " (size(self.limits) == 1 && 'nodes' in self.limits))",
    message = "only 'limits.nodes' is supported on static NodePools")
@ValidationRule(
    value = "!has(self.replicas) || !has(self.weight)",
    message = "'weight' is not supported on static NodePools")
public class NodePoolSpec {
  @Required private NodeClaimTemplate template = new NodeClaimTemplate();

  @Default("{\"consolidateAfter\":\"0s\"}")
  private Disruption disruption = new Disruption();

  /** Caps on the sum of capacity of the pool's nodes (cpu, memory, nodes, any resource). */
  @io.fabric8.generator.annotation.ValidationRule(
      value = Karpenter.QUANTITY_MAP_RULE,
      message = Karpenter.QUANTITY_MAP_MESSAGE)
  private Map<String, Quantity> limits;

  /** Higher weights are tried first; unset counts as 0. Not allowed on static NodePools. */
  @Min(1)
  @Max(100)
  private Integer weight;

  /**
   * Static NodePools (upstream's alpha StaticCapacity): keep exactly this many nodes, ignoring
   * consolidation settings; only {@code limits.nodes} applies.
   */
  @Min(0)
  @SpecReplicas
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
