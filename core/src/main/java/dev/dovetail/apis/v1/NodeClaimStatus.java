package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code status} of a NodeClaim, written from what the cloud and the Node report. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeClaimStatus {
  private String nodeName;

  @com.fasterxml.jackson.annotation.JsonProperty("providerID")
  private String providerID;

  @com.fasterxml.jackson.annotation.JsonProperty("imageID")
  private String imageID;

  private Map<String, Quantity> capacity;
  private Map<String, Quantity> allocatable;

  @io.fabric8.crd.generator.annotation.SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions = new ArrayList<>();

  /** RFC 3339 time of the last pod scheduled to or removed from the node. */
  private String lastPodEventTime;

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public String getProviderID() {
    return providerID;
  }

  public void setProviderID(String providerID) {
    this.providerID = providerID;
  }

  public String getImageID() {
    return imageID;
  }

  public void setImageID(String imageID) {
    this.imageID = imageID;
  }

  public Map<String, Quantity> getCapacity() {
    return capacity;
  }

  public void setCapacity(Map<String, Quantity> capacity) {
    this.capacity = capacity;
  }

  public Map<String, Quantity> getAllocatable() {
    return allocatable;
  }

  public void setAllocatable(Map<String, Quantity> allocatable) {
    this.allocatable = allocatable;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getLastPodEventTime() {
    return lastPodEventTime;
  }

  public void setLastPodEventTime(String lastPodEventTime) {
    this.lastPodEventTime = lastPodEventTime;
  }
}
