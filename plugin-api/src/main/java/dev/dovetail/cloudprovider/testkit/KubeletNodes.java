package dev.dovetail.cloudprovider.testkit;

import dev.dovetail.cloudprovider.Resources;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nodes as a kubelet registers them, for end-to-end tests that play the kubelet of the instances a
 * plugin launched: the Node carries the instance's providerID (which the core matches to its
 * NodeClaim), its labels and resources, and a Ready condition.
 */
public final class KubeletNodes {
  private KubeletNodes() {}

  /**
   * A Ready Node named {@code name} for instance {@code providerId}, Ready since {@code now}; the
   * builder lets a test add what its kubelet adds (taints, node info).
   */
  public static NodeBuilder ready(
      String name,
      String providerId,
      Map<String, String> labels,
      Map<String, Quantity> capacity,
      Map<String, Quantity> allocatable,
      Instant now) {
    String at = now.toString();
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withProviderID(providerId)
        .endSpec()
        .withNewStatus()
        .withCapacity(capacity)
        .withAllocatable(allocatable)
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .withLastHeartbeatTime(at)
        .withLastTransitionTime(at)
        .endCondition()
        .endStatus();
  }

  /** {@code resources} as a Node's capacity or allocatable. */
  public static Map<String, Quantity> quantities(Resources resources) {
    Map<String, Quantity> out = new LinkedHashMap<>();
    resources.toQuantities().forEach((k, v) -> out.put(k, new Quantity(v)));
    return out;
  }
}
