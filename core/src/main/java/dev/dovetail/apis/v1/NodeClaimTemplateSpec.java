package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.List;

/** {@code spec.template.spec} of a NodePool: what every NodeClaim it creates gets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeClaimTemplateSpec {
  private List<Taint> taints;
  private List<Taint> startupTaints;
  @Required private List<NodeSelectorRequirementWithMinValues> requirements = new ArrayList<>();
  @Required private NodeClassReference nodeClassRef;

  @Pattern("^(([0-9]+(s|m|h))+|Never)$")
  @Default("720h")
  private String expireAfter = "720h";

  @Pattern("^([0-9]+(s|m|h))+$")
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
