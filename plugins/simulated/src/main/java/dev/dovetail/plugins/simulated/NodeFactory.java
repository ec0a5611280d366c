package dev.dovetail.plugins.simulated;

import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the Node object a kubelet would register for a simulated instance. */
final class NodeFactory {
  static final String KUBELET_VERSION = "v1.33.0-simulated";

  private final Catalog catalog;

  NodeFactory(Catalog catalog) {
    this.catalog = catalog;
  }

  Node node(Instance instance, String nodeName, List<Taint> taints) {
    String now = instance.launchTime().toString();
    String arch = instance.labels().getOrDefault(WellKnownLabels.ARCH, "amd64");
    List<io.fabric8.kubernetes.api.model.Taint> nodeTaints = new ArrayList<>();
    for (Taint t : taints) {
      nodeTaints.add(toNodeTaint(t));
    }
    NodeCondition ready =
        new NodeConditionBuilder()
            .withType("Ready")
            .withStatus("True")
            .withReason("KubeletReady")
            .withMessage("kubelet is posting ready status (simulated)")
            .withLastHeartbeatTime(now)
            .withLastTransitionTime(now)
            .build();
    return new NodeBuilder()
        .withNewMetadata()
        .withName(nodeName)
        .withLabels(new LinkedHashMap<>(instance.labels()))
        .withAnnotations(Map.of(SimulatedCloud.SIMULATED_ANNOTATION, catalog.provider()))
        .endMetadata()
        .withNewSpec()
        .withProviderID(instance.providerId())
        .withTaints(nodeTaints)
        .endSpec()
        .withNewStatus()
        .withCapacity(quantities(instance.capacity()))
        .withAllocatable(quantities(instance.allocatable()))
        .withConditions(ready)
        .withNewNodeInfo()
        .withArchitecture(arch)
        .withOperatingSystem(CatalogInstanceTypes.OS_LINUX)
        .withKubeletVersion(KUBELET_VERSION)
        .withKubeProxyVersion(KUBELET_VERSION)
        .withContainerRuntimeVersion("containerd://2.0.0-simulated")
        .withOsImage(instance.imageId())
        .withMachineID(instance.providerId())
        .withSystemUUID(instance.providerId())
        .withBootID(instance.providerId())
        .withKernelVersion("6.1.0-simulated")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  static Map<String, Quantity> quantities(Resources r) {
    Map<String, Quantity> m = new LinkedHashMap<>();
    r.toQuantities().forEach((k, v) -> m.put(k, new Quantity(v)));
    return m;
  }

  static io.fabric8.kubernetes.api.model.Taint toNodeTaint(Taint t) {
    return new TaintBuilder()
        .withKey(t.key())
        .withValue(t.value().isEmpty() ? null : t.value())
        .withEffect(t.effect())
        .build();
  }

  /** The node without taints matching any of {@code remove} by key and effect. */
  static Node withoutTaints(Node node, List<Taint> remove) {
    if (node.getSpec() == null || node.getSpec().getTaints() == null) {
      return node;
    }
    List<io.fabric8.kubernetes.api.model.Taint> kept = new ArrayList<>();
    for (io.fabric8.kubernetes.api.model.Taint t : node.getSpec().getTaints()) {
      boolean drop =
          remove.stream()
              .anyMatch(r -> r.key().equals(t.getKey()) && r.effect().equals(t.getEffect()));
      if (!drop) {
        kept.add(t);
      }
    }
    return new NodeBuilder(node).editSpec().withTaints(kept).endSpec().build();
  }
}
