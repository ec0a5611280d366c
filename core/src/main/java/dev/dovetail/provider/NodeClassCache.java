package dev.dovetail.provider;

import dev.dovetail.cloudprovider.NodeClassKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provider's NodeClasses as a watch sees them: one informer per NodeClass kind the provider
 * reads, so that NodeClass lookups on every provisioning pass (readiness, instance types, the
 * plugin's view of a NodeClaim) read memory instead of sending one GET per NodePool per pass, as
 * upstream's controller-runtime cache does.
 */
public final class NodeClassCache implements AutoCloseable {
  private final Map<NodeClassKind, SharedIndexInformer<? extends HasMetadata>> informers;

  private NodeClassCache(Map<NodeClassKind, SharedIndexInformer<? extends HasMetadata>> informers) {
    this.informers = informers;
  }

  /**
   * Starts one informer per kind and waits until each has listed what exists (a lookup right after
   * start sees every NodeClass).
   */
  public static NodeClassCache start(KubernetesClient client, List<NodeClassKind> kinds) {
    Map<NodeClassKind, SharedIndexInformer<? extends HasMetadata>> informers =
        new LinkedHashMap<>();
    try {
      for (NodeClassKind kind : kinds) {
        informers.put(kind, client.resources(kind.type()).inform());
      }
    } catch (RuntimeException e) {
      informers.values().forEach(SharedIndexInformer::close);
      throw e;
    }
    return new NodeClassCache(informers);
  }

  /** The cluster-scoped NodeClass of a kind by name, as last seen by the watch. */
  public Optional<HasMetadata> get(NodeClassKind kind, String name) {
    SharedIndexInformer<? extends HasMetadata> informer = informers.get(kind);
    if (informer == null || name == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(informer.getStore().getByKey(name));
  }

  /** Whether this cache watches the kind. */
  public boolean watches(NodeClassKind kind) {
    return informers.containsKey(kind);
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
  }
}
