package com.example.tinycloud;

import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The part a real cloud does not need: TinyCloud's machines have no kubelet, so this registers
 * their Node objects (Ready, with the NodeClaim's labels and taints) through the {@link
 * NodeRegistrar} Dovetail hands to fakes, which is what lets {@code dovetail demo --provider
 * tinycloud} bind pods. Delete it when your machines run a real kubelet.
 */
final class TinyKubelet {

  private static final System.Logger LOG = System.getLogger(TinyKubelet.class.getName());
  private final NodeRegistrar nodes;

  TinyKubelet(NodeRegistrar nodes) {
    this.nodes = nodes == null ? NodeRegistrar.NONE : nodes;
  }

  static String nodeName(Instance instance) {
    String id = instance.providerId();
    return "tiny-" + id.substring(id.lastIndexOf('/') + 1);
  }

  void started(Instance instance, NodeClaimView claim) {
    Map<String, String> labels = new LinkedHashMap<>(claim.labels());
    labels.putAll(instance.labels());
    labels.put("kubernetes.io/hostname", nodeName(instance));
    labels.putIfAbsent("kubernetes.io/arch", "amd64");
    labels.putIfAbsent("kubernetes.io/os", "linux");
    String now = instance.launchTime().toString();
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(nodeName(instance))
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withProviderID(instance.providerId())
            .withTaints(claim.taints().stream().map(TinyKubelet::toNodeTaint).toList())
            .endSpec()
            .withNewStatus()
            .withCapacity(quantities(instance.capacity()))
            .withAllocatable(quantities(instance.allocatable()))
            .withConditions(
                new NodeConditionBuilder()
                    .withType("Ready")
                    .withStatus("True")
                    .withReason("KubeletReady")
                    .withLastHeartbeatTime(now)
                    .withLastTransitionTime(now)
                    .build())
            .endStatus()
            .build();
    try {
      nodes.register(node);
    } catch (RuntimeException e) {
      // like a kubelet that cannot reach the API: the core's registration timeout replaces it
      LOG.log(System.Logger.Level.WARNING, "registering node " + nodeName(instance) + " failed", e);
    }
  }

  void stopped(Instance instance) {
    try {
      nodes.deregister(nodeName(instance));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "removing node " + nodeName(instance) + " failed", e);
    }
  }

  private static io.fabric8.kubernetes.api.model.Taint toNodeTaint(Taint t) {
    return new TaintBuilder()
        .withKey(t.key())
        .withValue(t.value() == null || t.value().isEmpty() ? null : t.value())
        .withEffect(t.effect())
        .build();
  }

  private static Map<String, Quantity> quantities(Resources r) {
    Map<String, Quantity> m = new LinkedHashMap<>();
    r.toQuantities().forEach((k, v) -> m.put(k, new Quantity(v)));
    return m;
  }
}
