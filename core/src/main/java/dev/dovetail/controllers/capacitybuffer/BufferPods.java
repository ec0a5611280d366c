package dev.dovetail.controllers.capacitybuffer;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The virtual pods a CapacityBuffer stands for: copies of its pod template that exist only in the
 * provisioning snapshot (never in the API), so the provisioner keeps room for them. Marked with
 * {@link #ANNOTATION} so nothing nominates, binds or reports on them.
 */
public final class BufferPods {
  /** On every virtual pod: {@code <namespace>/<buffer name>}. */
  public static final String ANNOTATION = "autoscaling.x-k8s.io/capacity-buffer";

  private BufferPods() {}

  public static boolean isVirtual(Pod pod) {
    return pod.getMetadata() != null
        && pod.getMetadata().getAnnotations() != null
        && pod.getMetadata().getAnnotations().containsKey(ANNOTATION);
  }

  static List<Pod> of(String namespace, String buffer, PodTemplateSpec template, int replicas) {
    List<Pod> out = new java.util.ArrayList<>(replicas);
    for (int i = 0; i < replicas; i++) {
      Map<String, String> annotations = new HashMap<>();
      if (template.getMetadata() != null && template.getMetadata().getAnnotations() != null) {
        annotations.putAll(template.getMetadata().getAnnotations());
      }
      annotations.put(ANNOTATION, namespace + "/" + buffer);
      Pod pod = new Pod();
      pod.setMetadata(
          new ObjectMetaBuilder()
              .withName("capacitybuffer-" + buffer + "-" + i)
              .withNamespace(namespace)
              .withUid("capacitybuffer-" + namespace + "-" + buffer + "-" + i)
              .withLabels(
                  template.getMetadata() == null ? Map.of() : template.getMetadata().getLabels())
              .withAnnotations(annotations)
              .build());
      pod.setSpec(Serialization.clone(template.getSpec()));
      pod.getSpec().setNodeName(null);
      pod.setStatus(new PodStatusBuilder().withPhase("Pending").build());
      out.add(pod);
    }
    return out;
  }

  /** The template's pod requests (sum over containers), for {@code limits}. */
  static Map<String, Quantity> requests(PodTemplateSpec template) {
    Map<String, Quantity> sum = new HashMap<>();
    if (template.getSpec() == null || template.getSpec().getContainers() == null) {
      return sum;
    }
    for (var c : template.getSpec().getContainers()) {
      if (c.getResources() == null || c.getResources().getRequests() == null) {
        continue;
      }
      c.getResources()
          .getRequests()
          .forEach(
              (k, v) ->
                  sum.merge(
                      k,
                      v,
                      (a, b) ->
                          new Quantity(
                              a.getNumericalAmount().add(b.getNumericalAmount()).toPlainString())));
    }
    return sum;
  }
}
