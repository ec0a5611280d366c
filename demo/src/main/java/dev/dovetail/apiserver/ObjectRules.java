package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * What the API server does to an object on its way in: names, uid, creationTimestamp, generation,
 * what a write to the main resource or to {@code /status} may change, optimistic concurrency, and
 * the finalizer rules of an object being deleted.
 */
final class ObjectRules {
  private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
  private final SecureRandom random = new SecureRandom();

  ObjectNode prepareCreate(ResourceType type, ObjectNode body, String pathNamespace) {
    checkKind(type, body);
    body.put("apiVersion", type.apiVersion());
    body.put("kind", type.kind());
    ObjectNode meta = body.with("metadata");
    if (!meta.hasNonNull("name") || meta.path("name").asText().isEmpty()) {
      String prefix = meta.path("generateName").asText("");
      if (prefix.isEmpty()) {
        throw ApiException.invalid(
            type.kind()
                + " is invalid: metadata.name: Required value: name or generateName is required");
      }
      meta.put("name", prefix + randomSuffix());
    }
    if (type.namespaced()) {
      String ns = meta.path("namespace").asText("");
      if (!ns.isEmpty() && pathNamespace != null && !ns.equals(pathNamespace)) {
        throw ApiException.badRequest(
            "the namespace of the provided object does not match the namespace sent on the request");
      }
      String effective = pathNamespace != null ? pathNamespace : ns;
      if (effective.isEmpty()) {
        throw ApiException.badRequest("a namespace is required to create a " + type.kind());
      }
      meta.put("namespace", effective);
    } else {
      meta.remove("namespace");
    }
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", Timestamps.now());
    meta.put("generation", 1);
    meta.remove("resourceVersion");
    meta.remove("deletionTimestamp");
    meta.remove("deletionGracePeriodSeconds");
    meta.remove("selfLink");
    if (type.statusSubresource()) {
      if ("Pod".equals(type.kind()) && type.group().isEmpty()) {
        ObjectNode status = body.putObject("status");
        status.put("phase", "Pending");
      } else if (!"Node".equals(type.kind())) {
        body.remove("status"); // a status subresource is written through /status only
      }
    }
    return body;
  }

  /**
   * The object a PUT (or a patch, as a PUT of its result) stores: {@code body}'s changes to what
   * the endpoint may change, the rest from {@code current}.
   */
  ObjectNode prepareUpdate(
      ResourceType type, StoredObject current, ObjectNode body, boolean statusEndpoint) {
    return prepareUpdate(type, current, current.tree(), body, statusEndpoint);
  }

  /** As above, with {@code old} a tree of {@code current} the caller parsed already (unchanged). */
  ObjectNode prepareUpdate(
      ResourceType type,
      StoredObject current,
      ObjectNode old,
      ObjectNode body,
      boolean statusEndpoint) {
    checkKind(type, body);
    String rv = body.path("metadata").path("resourceVersion").asText("");
    if (!rv.isEmpty() && !rv.equals(Long.toString(current.resourceVersion()))) {
      throw ApiException.conflict(
          type,
          current.name(),
          "the object has been modified; please apply your changes to the latest version and try again");
    }
    String name = body.path("metadata").path("name").asText("");
    if (!name.isEmpty() && !name.equals(current.name())) {
      throw ApiException.badRequest(
          "the name of the object ("
              + name
              + ") does not match the name on the URL ("
              + current.name()
              + ")");
    }
    ObjectNode next;
    if (statusEndpoint) {
      next = old.deepCopy();
      if (body.has("status")) {
        next.set("status", body.get("status"));
      } else {
        next.remove("status");
      }
    } else {
      next = body;
      if (type.statusSubresource()) {
        if (old.has("status")) {
          next.set("status", old.get("status"));
        } else {
          next.remove("status");
        }
      }
    }
    if ("Pod".equals(type.kind()) && type.group().isEmpty() && !statusEndpoint) {
      String before = old.path("spec").path("nodeName").asText("");
      String after = next.path("spec").path("nodeName").asText("");
      if (!before.equals(after)) {
        throw ApiException.invalid(
            "Pod \""
                + current.name()
                + "\" is invalid: spec.nodeName: Forbidden: pod updates may not change spec.nodeName (bind with pods/binding)");
      }
    }
    next.put("apiVersion", type.apiVersion());
    next.put("kind", type.kind());
    ObjectNode meta = next.with("metadata");
    JsonNode oldMeta = old.path("metadata");
    for (String kept :
        new String[] {
          "name",
          "namespace",
          "uid",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "generation"
        }) {
      if (oldMeta.has(kept)) {
        meta.set(kept, oldMeta.get(kept));
      } else {
        meta.remove(kept);
      }
    }
    if (oldMeta.hasNonNull("deletionTimestamp")) {
      Set<String> before = strings(oldMeta.path("finalizers"));
      for (String f : strings(meta.path("finalizers"))) {
        if (!before.contains(f)) {
          throw ApiException.invalid(
              type.kind()
                  + " \""
                  + current.name()
                  + "\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers [\""
                  + f
                  + "\"]");
        }
      }
    }
    if (specChanged(type, old, next)) {
      meta.put("generation", oldMeta.path("generation").asLong(0) + 1);
    }
    return next;
  }

  /** Generation counts changes of everything but metadata (and status, on its own endpoint). */
  private static boolean specChanged(ResourceType type, ObjectNode old, ObjectNode next) {
    Set<String> fields = new HashSet<>();
    old.fieldNames().forEachRemaining(fields::add);
    next.fieldNames().forEachRemaining(fields::add);
    for (String f : fields) {
      if (f.equals("metadata") || f.equals("apiVersion") || f.equals("kind")) {
        continue;
      }
      if (f.equals("status") && type.statusSubresource()) {
        continue;
      }
      if (!java.util.Objects.equals(old.get(f), next.get(f))) {
        return true;
      }
    }
    return false;
  }

  private static void checkKind(ResourceType type, ObjectNode body) {
    String kind = body.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      throw ApiException.badRequest(
          "the kind of the object ("
              + kind
              + ") does not match the resource ("
              + type.kind()
              + ")");
    }
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new HashSet<>();
    if (array instanceof ArrayNode a) {
      a.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private String randomSuffix() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(ALPHANUMS.charAt(random.nextInt(ALPHANUMS.length())));
    }
    return sb.toString();
  }
}
