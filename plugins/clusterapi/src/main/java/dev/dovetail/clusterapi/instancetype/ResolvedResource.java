package dev.dovetail.clusterapi.instancetype;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.clusterapi.capi.ScalableResource;
import java.util.List;
import java.util.Map;

/**
 * A selected scalable resource and what it means to the scheduler: its instance type (null when it
 * cannot be used, with {@code problem} saying why), the labels and taints its nodes carry.
 */
public record ResolvedResource(
    ScalableResource resource,
    InstanceType instanceType,
    Map<String, String> nodeLabels,
    List<Taint> taints,
    String problem) {

  public ResolvedResource {
    nodeLabels = nodeLabels == null ? Map.of() : Map.copyOf(nodeLabels);
    taints = taints == null ? List.of() : List.copyOf(taints);
  }

  public boolean usable() {
    return instanceType != null;
  }
}
