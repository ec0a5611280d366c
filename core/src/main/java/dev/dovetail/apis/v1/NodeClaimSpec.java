package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code spec} of a NodeClaim (immutable after creation). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeClaimSpec {
  private List<Taint> taints;
  private List<Taint> startupTaints;
  @Required private List<NodeSelectorRequirementWithMinValues> requirements = new ArrayList<>();
  private ResourceRequirements resources;
  @Required private NodeClassReference nodeClassRef;

  @Pattern("^([0-9]+(s|m|h))+$")
  private String terminationGracePeriod;

  @Pattern("^(([0-9]+(s|m|h))+|Never)$")
  private String expireAfter;

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
    private Map<String, Quantity> requests;

    public Map<String, Quantity> getRequests() {
      return requests;
    }

    public void setRequests(Map<String, Quantity> requests) {
      this.requests = requests;
    }
  }
}
