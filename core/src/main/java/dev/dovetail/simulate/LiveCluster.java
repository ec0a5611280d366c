package dev.dovetail.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.NodeClassKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a live cluster into {@link Manifests}, with list calls only (never a write, never a watch):
 * NodePools, the NodeClasses of the known providers, nodes, pods, DaemonSets and PDBs. Pods that
 * controllers already created stand for their workloads, so workloads are not listed.
 */
public final class LiveCluster {
  private LiveCluster() {}

  public static Manifests read(KubernetesClient client, List<NodeClassKind> providerKinds) {
    Manifests m = Manifests.empty();
    m.nodePools().addAll(client.resources(NodePool.class).list().getItems());
    m.nodes().addAll(client.nodes().list().getItems());
    for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
      String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
      if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
        m.pods().add(p);
      }
    }
    m.daemonSets().addAll(client.apps().daemonSets().inAnyNamespace().list().getItems());
    m.podDisruptionBudgets()
        .addAll(client.policy().v1().podDisruptionBudget().inAnyNamespace().list().getItems());
    List<String[]> kinds = new ArrayList<>();
    kinds.add(new String[] {"karpenter.k8s.aws/v1", "EC2NodeClass"});
    kinds.add(new String[] {"karpenter.azure.com/v1beta1", "AKSNodeClass"});
    kinds.add(new String[] {"karpenter.k8s.gcp/v1alpha1", "GCENodeClass"});
    for (NodeClassKind k : providerKinds) {
      kinds.add(new String[] {k.apiVersion(), k.kind()});
    }
    for (String[] k : kinds) {
      if (!client.supports(k[0], k[1])) {
        continue; // the kind is not installed in this cluster (discovery says so)
      }
      for (GenericKubernetesResource r :
          client.genericKubernetesResources(k[0], k[1]).list().getItems()) {
        m.nodeClasses().add((ObjectNode) Serialization.jsonMapper().valueToTree(r));
      }
    }
    return m;
  }
}
