package dev.dovetail.clusterapi.capi;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The management cluster's Cluster API objects as generic resources: no CAPI Java model, so any
 * CAPI release that serves {@code v1beta1} or {@code v1beta2} works. The version is discovered once
 * ({@code v1beta2} when served, else {@code v1beta1}); the fields read exist in both.
 */
public final class CapiApi {
  private final KubernetesClient client;
  private final String version;

  public CapiApi(KubernetesClient client) {
    this(client, discoverVersion(client));
  }

  public CapiApi(KubernetesClient client, String version) {
    this.client = client;
    this.version = version;
  }

  /**
   * {@code v1beta2} when the API server serves it for {@code cluster.x-k8s.io}, else {@code
   * v1beta1} (also when discovery is unavailable: every CAPI release since 2021 serves v1beta1).
   */
  static String discoverVersion(KubernetesClient client) {
    try {
      APIGroup group = client.getApiGroup(Capi.GROUP);
      if (group != null && group.getVersions() != null) {
        for (GroupVersionForDiscovery v : group.getVersions()) {
          if (Capi.V1BETA2.equals(v.getVersion())) {
            return Capi.V1BETA2;
          }
        }
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    return Capi.V1BETA1;
  }

  public String version() {
    return version;
  }

  public KubernetesClient client() {
    return client;
  }

  /** The REST resource of a CAPI kind in the discovered version. */
  public ResourceDefinitionContext context(String kind) {
    return context(Capi.GROUP, version, kind);
  }

  /** The REST resource of any namespaced kind, plural by Kubernetes' convention. */
  public static ResourceDefinitionContext context(String group, String version, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural(kind))
        .withNamespaced(true)
        .build();
  }

  static String plural(String kind) {
    String lower = kind.toLowerCase(Locale.ROOT);
    if (lower.endsWith("s")) {
      return lower + "es";
    }
    if (lower.endsWith("y")) {
      return lower.substring(0, lower.length() - 1) + "ies";
    }
    return lower + "s";
  }

  public MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      resources(String kind) {
    return client.genericKubernetesResources(context(kind));
  }

  /** Objects of a kind, in one namespace or all (null), matching labels. */
  public List<GenericKubernetesResource> list(
      String kind, String namespace, Map<String, String> labels) {
    var op = resources(kind);
    if (namespace == null) {
      var all = op.inAnyNamespace();
      return (labels.isEmpty() ? all : all.withLabels(labels)).list().getItems();
    }
    NonNamespaceOperation<
            GenericKubernetesResource,
            GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>>
        ns = op.inNamespace(namespace);
    return (labels.isEmpty() ? ns : ns.withLabels(labels)).list().getItems();
  }

  /** Objects of a kind matching a label selector (null selector: every object). */
  public List<GenericKubernetesResource> list(
      String kind, String namespace, LabelSelector selector) {
    var op = resources(kind);
    if (selector == null) {
      return list(kind, namespace, Map.of());
    }
    return namespace == null
        ? op.inAnyNamespace().withLabelSelector(selector).list().getItems()
        : op.inNamespace(namespace).withLabelSelector(selector).list().getItems();
  }

  public Optional<GenericKubernetesResource> get(String kind, String namespace, String name) {
    return Optional.ofNullable(resources(kind).inNamespace(namespace).withName(name).get());
  }

  /** Replaces the object, guarded by its resourceVersion (409 when it changed meanwhile). */
  public GenericKubernetesResource update(String kind, GenericKubernetesResource obj) {
    return resources(kind).inNamespace(obj.getMetadata().getNamespace()).resource(obj).update();
  }

  /** An arbitrary namespaced object (an infrastructure template), or empty when absent. */
  public Optional<GenericKubernetesResource> getAny(
      String apiVersionOrGroup, String kind, String namespace, String name) {
    String group;
    String v;
    int slash = apiVersionOrGroup.indexOf('/');
    if (slash >= 0) {
      group = apiVersionOrGroup.substring(0, slash);
      v = apiVersionOrGroup.substring(slash + 1);
    } else {
      group = apiVersionOrGroup;
      v = preferredVersion(group).orElse(null);
      if (v == null) {
        return Optional.empty();
      }
    }
    try {
      return Optional.ofNullable(
          client
              .genericKubernetesResources(context(group, v, kind))
              .inNamespace(namespace)
              .withName(name)
              .get());
    } catch (KubernetesClientException e) {
      // 403: the chart grants no wildcard on infrastructure kinds; a template the service
      // account may not read contributes no capacity (the annotations still do).
      if (e.getCode() == 404 || e.getCode() == 403) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private Optional<String> preferredVersion(String group) {
    try {
      APIGroup g = client.getApiGroup(group);
      if (g == null || g.getPreferredVersion() == null) {
        return Optional.empty();
      }
      return Optional.ofNullable(g.getPreferredVersion().getVersion());
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }
}
