package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One version of a stored object: its JSON, serialised once when written (gets, lists and watch
 * events reuse these bytes), and the few fields the indexes, selectors, the garbage collector and
 * the disruption budgets read, extracted once so they never parse the JSON.
 */
record StoredObject(
    ResourceType type,
    String namespace,
    String name,
    long resourceVersion,
    byte[] json,
    Map<String, String> labels,
    String uid,
    String nodeName,
    String phase,
    List<String> ownerUids,
    boolean hasFinalizers,
    boolean deleting) {

  /** The store's key: {@code namespace/name}, or {@code name} for a cluster-scoped object. */
  static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  String key() {
    return key(namespace, name);
  }

  static StoredObject of(ResourceType type, ObjectNode object, long rv) {
    try {
      return of(type, object, rv, Json.MAPPER.writeValueAsBytes(object));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code json}: {@code object} already serialised (the caller vouches they agree). */
  static StoredObject of(ResourceType type, ObjectNode object, long rv, byte[] json) {
    JsonNode meta = object.path("metadata");
    Map<String, String> labels = new HashMap<>();
    meta.path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<String> owners = new ArrayList<>();
    meta.path("ownerReferences").forEach(o -> owners.add(o.path("uid").asText()));
    String ns = meta.path("namespace").asText("");
    return new StoredObject(
        type,
        ns,
        meta.path("name").asText(),
        rv,
        json,
        Map.copyOf(labels),
        meta.path("uid").asText(""),
        textOrNull(object.path("spec").path("nodeName")),
        textOrNull(object.path("status").path("phase")),
        List.copyOf(owners),
        meta.path("finalizers").size() > 0,
        meta.hasNonNull("deletionTimestamp"));
  }

  private static String textOrNull(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }

  /** A fresh, mutable tree of this object. */
  ObjectNode tree() {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A field selector's value, from the extracted fields when it is one of them. */
  String field(String path) {
    return switch (path) {
      case "metadata.name" -> name;
      case "metadata.namespace" -> namespace;
      case "spec.nodeName" -> nodeName == null ? "" : nodeName;
      case "status.phase" -> phase == null ? "" : phase;
      default -> FieldSelector.read(tree(), path);
    };
  }

  boolean matches(LabelSelector labelSelector, FieldSelector fieldSelector) {
    if (!labelSelector.matches(labels)) {
      return false;
    }
    for (FieldSelector.Term t : fieldSelector.terms()) {
      if (t.equals() != t.value().equals(field(t.field()))) {
        return false;
      }
    }
    return true;
  }
}
