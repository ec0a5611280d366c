package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What is served beside an object's main endpoint: pods' {@code eviction} (through the PDBs) and
 * {@code binding} (kube-scheduler's assignment), the {@code status}/{@code finalize} endpoints'
 * recognition, and a stored CRD's registration (its kinds served, it marked Established).
 */
final class Subresources {
  private final ResourceTypes types;
  private final Store store;
  private final CrdSchemas schemas;
  private final DisruptionBudgets budgets;

  Subresources(ResourceTypes types, Store store, CrdSchemas schemas, DisruptionBudgets budgets) {
    this.types = types;
    this.store = store;
    this.schemas = schemas;
    this.budgets = budgets;
  }

  /** POST on a named object: an eviction or a binding of a pod, else 405. */
  ApiResponse post(Target t, ApiRequest req) throws java.io.IOException {
    if ("eviction".equals(t.subresource()) && t.type().plural().equals("pods")) {
      // policy/v1 Eviction: deleteOptions.preconditions (uid, resourceVersion) hold as on a
      // delete, so an eviction aimed at one pod never removes a successor of the same name
      ObjectNode body = req.bodyObject();
      com.fasterxml.jackson.databind.JsonNode pre =
          body == null ? null : body.path("deleteOptions").path("preconditions");
      budgets.evict(
          t.namespace(), t.name(), textOrNull(pre, "resourceVersion"), textOrNull(pre, "uid"));
      return ApiResponse.status(201, "", "");
    }
    if ("binding".equals(t.subresource()) && t.type().plural().equals("pods")) {
      return bind(t.namespace(), t.name(), req.bodyObject());
    }
    throw new ApiException(405, "MethodNotAllowed", "POST is not supported on a named object");
  }

  private static String textOrNull(com.fasterxml.jackson.databind.JsonNode n, String field) {
    return n == null || !n.hasNonNull(field) ? null : n.get(field).asText();
  }

  /**
   * Whether a write goes to the status endpoint ({@code status}, or {@code finalize} for
   * namespaces), which changes only the status; 404 for any other subresource.
   */
  static boolean isStatus(Target t) {
    if (t.subresource() == null) {
      return false;
    }
    if (t.subresource().equals("status") || t.subresource().equals("finalize")) {
      return true;
    }
    throw new ApiException(404, "NotFound", "unknown subresource " + t.subresource());
  }

  /**
   * A Binding (kube-scheduler's way to assign a pod): sets {@code spec.nodeName} once, and the
   * PodScheduled condition; 409 if the pod is already assigned.
   */
  ApiResponse bind(String namespace, String podName, ObjectNode binding) {
    String node = binding.path("target").path("name").asText("");
    if (node.isEmpty()) {
      throw ApiException.invalid(
          "Binding \"" + podName + "\" is invalid: target.name: Required value");
    }
    ResourceType pods = types.find("", "v1", "pods").orElseThrow();
    store.update(
        pods,
        namespace,
        podName,
        current -> {
          if (current.nodeName() != null) {
            throw ApiException.conflict(
                pods,
                podName,
                "pod " + podName + " is already assigned to node \"" + current.nodeName() + "\"");
          }
          ObjectNode pod = current.tree();
          pod.with("spec").put("nodeName", node);
          var conditions = pod.with("status").withArray("conditions");
          for (int i = conditions.size() - 1; i >= 0; i--) {
            if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
              conditions.remove(i);
            }
          }
          ObjectNode scheduled = conditions.addObject();
          scheduled.put("type", "PodScheduled");
          scheduled.put("status", "True");
          scheduled.put("lastTransitionTime", Timestamps.now());
          return pod;
        });
    return ApiResponse.status(201, "", "");
  }

  /** Serves the kinds a stored CRD defines, and marks it Established as the API server does. */
  void registerCrd(StoredObject crd) {
    ObjectNode tree = crd.tree();
    types.register(tree);
    schemas.register(tree);
    store.update(
        crd.type(),
        null,
        crd.name(),
        current -> {
          ObjectNode next = current.tree();
          ObjectNode status = next.with("status");
          status.set("acceptedNames", next.path("spec").path("names").deepCopy());
          var conditions = status.putArray("conditions");
          for (String type : List.of("NamesAccepted", "Established")) {
            ObjectNode c = conditions.addObject();
            c.put("type", type);
            c.put("status", "True");
            c.put("reason", type.equals("Established") ? "InitialNamesAccepted" : "NoConflicts");
            c.put("lastTransitionTime", Timestamps.now());
            c.put("message", "");
          }
          return next;
        });
  }
}
