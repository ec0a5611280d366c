package dev.dovetail.azure.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.List;

/** {@code status} of an AKSNodeClass: resolved images, Kubernetes version, conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AKSNodeClassStatus {
  private List<NodeImage> images;
  private String kubernetesVersion;
  private List<Condition> conditions;

  /** Whether LocalDNS is in effect on new nodes (resolved from {@code spec.localDNS.mode}). */
  private LocalDNSState localDNSState;

  /** Upstream's {@code LocalDNSState}. */
  public enum LocalDNSState {
    Enabled,
    Disabled
  }

  public LocalDNSState getLocalDNSState() {
    return localDNSState;
  }

  public void setLocalDNSState(LocalDNSState localDNSState) {
    this.localDNSState = localDNSState;
  }

  /** An image the class resolves to and the instance types (by requirements) it serves. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NodeImage {
    @Required private String id;

    @Required private List<NodeSelectorRequirement> requirements;

    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }

    public List<NodeSelectorRequirement> getRequirements() {
      return requirements;
    }

    public void setRequirements(List<NodeSelectorRequirement> requirements) {
      this.requirements = requirements;
    }
  }

  public List<NodeImage> getImages() {
    return images;
  }

  public void setImages(List<NodeImage> images) {
    this.images = images;
  }

  public String getKubernetesVersion() {
    return kubernetesVersion;
  }

  public void setKubernetesVersion(String kubernetesVersion) {
    this.kubernetesVersion = kubernetesVersion;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
