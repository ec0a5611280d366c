package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.List;

/** {@code spec.template.spec} of a NodePool: what every NodeClaim it creates gets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeClaimTemplateSpec {
  /** A Go duration of seconds/minutes/hours, or {@code Never}. */
  public static final String NILLABLE_DURATION_PATTERN = "^(([0-9]+(s|m|h))+|Never)$";

  /** A Go duration of seconds/minutes/hours. */
  public static final String DURATION_PATTERN = "^([0-9]+(s|m|h))+$";

  @SchemaFrom(type = TaintSchema[].class)
  private List<Taint> taints;

  /** Taints expected to be removed by a DaemonSet after startup; pods need not tolerate them. */
  @SchemaFrom(type = TaintSchema[].class)
  private List<Taint> startupTaints;

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
  @ValidationRule(
      value = RequirementRules.NO_NODEPOOL_KEY_RULE,
      message = RequirementRules.NO_NODEPOOL_KEY_MESSAGE)
  private List<NodeSelectorRequirementWithMinValues> requirements = new ArrayList<>();

  @Required
  @ValidationRule(
      value = "self.group == oldSelf.group",
      message = "nodeClassRef.group is immutable")
  @ValidationRule(value = "self.kind == oldSelf.kind", message = "nodeClassRef.kind is immutable")
  private NodeClassReference nodeClassRef;

  /** How long a node lives before it is replaced, or {@code Never}. */
  @Pattern(NILLABLE_DURATION_PATTERN)
  @Default("720h")
  private String expireAfter = "720h";

  /** Upper bound on draining: after it, pods are deleted despite PDBs and do-not-disrupt. */
  @Pattern(DURATION_PATTERN)
  private String terminationGracePeriod;

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

  public NodeClassReference getNodeClassRef() {
    return nodeClassRef;
  }

  public void setNodeClassRef(NodeClassReference nodeClassRef) {
    this.nodeClassRef = nodeClassRef;
  }

  public String getExpireAfter() {
    return expireAfter;
  }

  public void setExpireAfter(String expireAfter) {
    this.expireAfter = expireAfter;
  }

  public String getTerminationGracePeriod() {
    return terminationGracePeriod;
  }

  public void setTerminationGracePeriod(String terminationGracePeriod) {
    this.terminationGracePeriod = terminationGracePeriod;
  }
}
