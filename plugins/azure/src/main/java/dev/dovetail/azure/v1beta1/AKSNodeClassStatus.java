package dev.dovetail.azure.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.List;

/** {@code status} of an AKSNodeClass: resolved images, Kubernetes version, conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AKSNodeClassStatus {
  public List<NodeImage> images;
  public String kubernetesVersion;
  public List<Condition> conditions;

  /** Whether LocalDNS is in effect on new nodes (resolved from {@code spec.localDNS.mode}). */
  public LocalDNSState localDNSState;

  /** Upstream's {@code LocalDNSState}. */
  public enum LocalDNSState {
    Enabled,
    Disabled
  }

  /** An image the class resolves to and the instance types (by requirements) it serves. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NodeImage {
    @Required public String id;

    @Required public List<NodeSelectorRequirement> requirements;
  }
}
