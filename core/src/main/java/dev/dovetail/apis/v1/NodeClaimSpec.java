package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code spec} of a NodeClaim (immutable after creation). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "spec is immutable")
public class NodeClaimSpec {
  @SchemaFrom(type = TaintSchema[].class)
  private List<Taint> taints;

  @SchemaFrom(type = TaintSchema[].class)
  private List<Taint> startupTaints;

  /**
   * Unlike a NodePool's, a NodeClaim's requirements may name {@code karpenter.sh/nodepool} (the
   * pool that made it), so only the shared rules apply.
   */
  @Required
  @Size(max = 100)
  @ValidationRule(
      value = RequirementRules.IN_NEEDS_VALUES_RULE,
      message = RequirementRules.IN_NEEDS_VALUES_MESSAGE)
  @ValidationRule(
      value = RequirementRules.NUMERIC_OPERATOR_RULE,
      message = RequirementRules.NUMERIC_OPERATOR_MESSAGE)
  @ValidationRule(
      value = RequirementRules.MIN_VALUES_RULE,
      message = RequirementRules.MIN_VALUES_MESSAGE)
  private List<NodeSelectorRequirementWithMinValues> requirements = new ArrayList<>();

  private ResourceRequirements resources;
  @Required private NodeClassReference nodeClassRef;

  @Pattern(NodeClaimTemplateSpec.DURATION_PATTERN)
  private String terminationGracePeriod;

  @Pattern(NodeClaimTemplateSpec.NILLABLE_DURATION_PATTERN)
  @Default("720h")
  private String expireAfter = "720h";

  public List<Taint> getTaints() {
    return taints;
  }

  public void setTaints(List<Taint> taints) {
    this.taints = taints;
  }

  public List<Taint> getStartupTaints() {
    return startupTaints;
  }

  public void setStartupTaints(List<Taint> startupTaints) {
    this.startupTaints = startupTaints;
  }

  public List<NodeSelectorRequirementWithMinValues> getRequirements() {
    return requirements;
  }

  public void setRequirements(List<NodeSelectorRequirementWithMinValues> requirements) {
    this.requirements = requirements;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public NodeClassReference getNodeClassRef() {
    return nodeClassRef;
  }

  public void setNodeClassRef(NodeClassReference nodeClassRef) {
    this.nodeClassRef = nodeClassRef;
  }

  public String getTerminationGracePeriod() {
    return terminationGracePeriod;
  }

  public void setTerminationGracePeriod(String terminationGracePeriod) {
    this.terminationGracePeriod = terminationGracePeriod;
  }

  public String getExpireAfter() {
    return expireAfter;
  }

  public void setExpireAfter(String expireAfter) {
    this.expireAfter = expireAfter;
  }

  /** {@code spec.resources}: the resources the NodeClaim's pods request. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ResourceRequirements {
    @io.fabric8.generator.annotation.ValidationRule(
        value = Karpenter.QUANTITY_MAP_RULE,
        message = Karpenter.QUANTITY_MAP_MESSAGE)
    private Map<String, Quantity> requests;

    public Map<String, Quantity> getRequests() {
      return requests;
    }

    public void setRequests(Map<String, Quantity> requests) {
      this.requests = requests;
    }
  }
}
