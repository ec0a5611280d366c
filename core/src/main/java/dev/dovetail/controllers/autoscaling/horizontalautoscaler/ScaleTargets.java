package dev.dovetail.controllers.autoscaling.horizontalautoscaler;

import dev.dovetail.apis.autoscaling.v1alpha1.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the replicas of a HorizontalAutoscaler's target. Every kind this is meant for
 * (Deployments, StatefulSets, ReplicaSets, Cluster API MachineDeployments/MachineSets,
 * ScalableNodeGroups) maps its {@code scale} subresource to {@code .spec.replicas} and {@code
 * .status.replicas}, so the object itself is read and written, guarded by its resourceVersion (a
 * concurrent change fails the write with 409 and the next pass decides again). A custom kind whose
 * scale subresource points elsewhere is not supported.
 */
public final class ScaleTargets {
  private final KubernetesClient client;

  public ScaleTargets(KubernetesClient client) {
    this.client = client;
  }

  /** The target's replicas: what it is asked for, and what it reports having. */
  public record Scale(int specReplicas, Optional<Integer> statusReplicas) {
    /** What the proportional rule multiplies: the observed replicas, else the requested ones. */
    public int observed() {
      return statusReplicas.orElse(specReplicas);
    }
  }

  public static ResourceDefinitionContext context(CrossVersionObjectReference ref) {
    String apiVersion = ref.apiVersion == null || ref.apiVersion.isBlank() ? "v1" : ref.apiVersion;
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(ref.kind)
        .withPlural(Pluralize.toPlural(ref.kind.toLowerCase(Locale.ROOT)))
        .withNamespaced(true)
        .build();
  }

  /** The target's scale, or empty when it does not exist. */
  public Optional<Scale> get(String namespace, CrossVersionObjectReference ref) {
    GenericKubernetesResource obj =
        client
            .genericKubernetesResources(context(ref))
            .inNamespace(namespace)
            .withName(ref.name)
            .get();
    if (obj == null) {
      return Optional.empty();
    }
    return Optional.of(new Scale(intAt(obj, "spec").orElse(1), intAt(obj, "status")));
  }

  /**
   * Sets {@code spec.replicas} if it still equals {@code expected}.
   *
   * @throws IllegalStateException when the object changed since it was read or is gone
   */
  public void set(String namespace, CrossVersionObjectReference ref, int expected, int replicas) {
    var op = client.genericKubernetesResources(context(ref)).inNamespace(namespace);
    GenericKubernetesResource obj = op.withName(ref.name).get();
    if (obj == null) {
      throw new IllegalStateException(ref.kind + " " + namespace + "/" + ref.name + " is gone");
    }
    int now = intAt(obj, "spec").orElse(1);
    if (now != expected) {
      throw new IllegalStateException(
          ref.kind
              + " "
              + namespace
              + "/"
              + ref.name
              + " changed to "
              + now
              + " replicas meanwhile");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) obj.getAdditionalProperties().get("spec");
    spec.put("replicas", replicas);
    op.resource(obj).update();
  }

  private static Optional<Integer> intAt(GenericKubernetesResource obj, String section) {
    Object s = obj.getAdditionalProperties().get(section);
    if (s instanceof Map<?, ?> m && m.get("replicas") instanceof Number n) {
      return Optional.of(n.intValue());
    }
    return Optional.empty();
  }
}
