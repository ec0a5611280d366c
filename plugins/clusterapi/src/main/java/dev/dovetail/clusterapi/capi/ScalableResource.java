package dev.dovetail.clusterapi.capi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import java.util.Objects;

/**
 * A scalable resource as read from the API: the fields the bridge needs from a MachineDeployment,
 * MachineSet or MachinePool in either API version (the paths below are the same in v1beta1 and
 * v1beta2, except the template references' {@code apiVersion}/{@code apiGroup}).
 */
public record ScalableResource(ScalableResourceRef ref, GenericKubernetesResource object) {

  public static ScalableResource of(String kind, GenericKubernetesResource obj) {
    return new ScalableResource(
        new ScalableResourceRef(
            kind, obj.getMetadata().getNamespace(), obj.getMetadata().getName()),
        obj);
  }

  public int replicas() {
    Object r = Fields.get(object, "spec.replicas");
    return r instanceof Number n ? n.intValue() : 0;
  }

  public Map<String, String> annotations() {
    return Fields.annotations(object);
  }

  public Map<String, String> labels() {
    return Fields.labels(object);
  }

  public String clusterName() {
    String c = Fields.string(object, "spec.clusterName");
    return c != null ? c : labels().get(Capi.CLUSTER_NAME_LABEL);
  }

  /** Labels the Machine template carries (CAPI propagates some of them to the Node). */
  @SuppressWarnings("unchecked")
  public Map<String, String> templateLabels() {
    Object l = Fields.get(object, "spec.template.metadata.labels");
    return l instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
  }

  public String version() {
    return Fields.string(object, "spec.template.spec.version");
  }

  public String failureDomain() {
    return Fields.string(object, "spec.template.spec.failureDomain");
  }

  public Map<String, Object> infrastructureRef() {
    return Fields.map(object, "spec.template.spec.infrastructureRef");
  }

  public Map<String, Object> bootstrapConfigRef() {
    return Fields.map(object, "spec.template.spec.bootstrap.configRef");
  }

  /**
   * What a Machine of this resource is made from: infrastructure template, bootstrap config
   * template and Kubernetes version. A Machine claimed under one fingerprint has drifted once the
   * resource's fingerprint differs.
   */
  public String templateFingerprint() {
    return refString(infrastructureRef())
        + ";"
        + refString(bootstrapConfigRef())
        + ";"
        + Objects.toString(version(), "");
  }

  private static String refString(Map<String, Object> ref) {
    if (ref.isEmpty()) {
      return "";
    }
    return ref.getOrDefault("kind", "") + "/" + ref.getOrDefault("name", "");
  }
}
