package dev.dovetail.controllers.nodeclass;

import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.kube.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges a provider's {@link NodeClassStatus} into a NodeClass's {@code .status}: each reported
 * field replaces its top-level key, each condition is set keeping {@code lastTransitionTime} while
 * its status is unchanged and stamping {@code observedGeneration}, and {@code Ready} is derived
 * when the provider reports none (True when every other condition is True).
 */
final class NodeClassStatusWriter {
  private final KubernetesSerialization serialization;

  NodeClassStatusWriter(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  /** Applies the status to the object; returns whether anything changed. */
  @SuppressWarnings("unchecked")
  boolean merge(GenericKubernetesResource obj, NodeClassStatus reported, Instant now) {
    Map<String, Object> before =
        obj.getAdditionalProperties().get("status") instanceof Map<?, ?> m
            ? (Map<String, Object>) m
            : Map.of();
    Map<String, Object> status = new LinkedHashMap<>(before);
    reported.fields().forEach((k, v) -> status.put(k, v));
    List<Condition> conditions = new ArrayList<>();
    if (status.get("conditions") instanceof List<?> existing) {
      for (Object c : existing) {
        conditions.add(serialization.convertValue(c, Condition.class));
      }
    }
    Long generation = obj.getMetadata().getGeneration();
    boolean readyReported = false;
    for (NodeClassStatus.Condition c : reported.conditions()) {
      readyReported |= c.type().equals(NodeClassStatus.READY);
      Conditions.set(conditions, c.type(), c.status(), c.reason(), c.message(), generation, now);
    }
    if (!readyReported) {
      boolean ready = reported.isReady();
      Conditions.set(
          conditions,
          NodeClassStatus.READY,
          ready,
          ready ? "Ready" : "NotReady",
          ready ? "" : reported.notReadyMessage(),
          generation,
          now);
    }
    List<Object> written = new ArrayList<>();
    for (Condition c : conditions) {
      written.add(serialization.convertValue(c, Map.class));
    }
    status.put("conditions", written);
    Map<String, Object> normalizedBefore = serialization.convertValue(before, Map.class);
    Map<String, Object> normalizedAfter = serialization.convertValue(status, Map.class);
    if (Objects.equals(normalizedBefore, normalizedAfter)) {
      return false;
    }
    obj.getAdditionalProperties().put("status", normalizedAfter);
    return true;
  }
}
