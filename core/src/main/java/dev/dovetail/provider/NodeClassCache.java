package dev.dovetail.provider;

import dev.dovetail.cloudprovider.NodeClassKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provider's NodeClasses as a watch sees them: one informer per NodeClass kind the provider
 * reads, so that NodeClass lookups on every provisioning pass (readiness, instance types, the
 * plugin's view of a NodeClaim) read memory instead of sending one GET per NodePool per pass, as
 * upstream's controller-runtime cache does.
 *
 * <p>The watch keeps the objects as written (generic), so a status the provider's model class does
 * not declare (the Ready condition the NodeClass status controller writes) is not lost; {@link
 * #get} hands the provider its own type, converted as a GET would have. The NodeClass status
 * controller reads the same informers ({@link #addHandler}), so each kind is watched once.
 */
public final class NodeClassCache implements AutoCloseable {
  private final Map<NodeClassKind, SharedIndexInformer<GenericKubernetesResource>> informers;
  private final KubernetesSerialization serialization;

  private NodeClassCache(
      Map<NodeClassKind, SharedIndexInformer<GenericKubernetesResource>> informers,
      KubernetesSerialization serialization) {
    this.informers = informers;
    this.serialization = serialization;
  }

  /**
   * Starts one informer per kind and waits until each has listed what exists (a lookup right after
   * start sees every NodeClass).
   */
  public static NodeClassCache start(KubernetesClient client, List<NodeClassKind> kinds) {
    Map<NodeClassKind, SharedIndexInformer<GenericKubernetesResource>> informers =
        new LinkedHashMap<>();
    try {
      for (NodeClassKind kind : kinds) {
        informers.put(
            kind,
            client
                .genericKubernetesResources(ResourceDefinitionContext.fromResourceType(kind.type()))
                .inform());
      }
    } catch (RuntimeException e) {
      informers.values().forEach(SharedIndexInformer::close);
      throw e;
    }
    return new NodeClassCache(informers, client.getKubernetesSerialization());
  }

  /** The cluster-scoped NodeClass of a kind by name as written, as last seen by the watch. */
  public Optional<GenericKubernetesResource> generic(NodeClassKind kind, String name) {
    SharedIndexInformer<GenericKubernetesResource> informer = informers.get(kind);
    if (informer == null || name == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(informer.getStore().getByKey(name));
  }

  /** The NodeClass as the provider's model type. */
  public Optional<HasMetadata> get(NodeClassKind kind, String name) {
    return generic(kind, name).map(g -> serialization.convertValue(g, kind.type()));
  }

  /**
   * Every NodeClass of a kind as last seen by the watch (as written); empty for a kind not watched.
   */
  public List<GenericKubernetesResource> list(NodeClassKind kind) {
    SharedIndexInformer<GenericKubernetesResource> informer = informers.get(kind);
    return informer == null ? List.of() : informer.getStore().list();
  }

  /**
   * Calls {@code handler} on every change of a NodeClass of the kind, from the cache's own watch:
   * the NodeClass status controller shares it rather than opening a second watch per kind (objects
   * already listed are replayed as adds).
   */
  public void addHandler(
      NodeClassKind kind, ResourceEventHandler<GenericKubernetesResource> handler) {
    SharedIndexInformer<GenericKubernetesResource> informer = informers.get(kind);
    if (informer == null) {
      throw new IllegalArgumentException("not watched: " + kind);
    }
    informer.addEventHandler(handler);
  }

  /** The kinds this cache watches, in the provider's order. */
  public List<NodeClassKind> kinds() {
    return List.copyOf(informers.keySet());
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
