package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The patch formats of the API: JSON patch (RFC 6902), JSON merge patch (RFC 7386), strategic merge
 * patch for the built-in kinds (lists of objects merged by their merge key, {@code $patch:
 * delete|replace} directives, primitive-list merges for finalizers) and server-side apply as a
 * strategic merge of the applied configuration (field ownership: {@link FieldOwnership}).
 */
final class Patches {
  /** List fields merged element by element, by this key (the API's patchMergeKey). */
  static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("env", "name"),
          Map.entry("volumes", "name"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("ports", "containerPort"),
          Map.entry("conditions", "type"),
          Map.entry("taints", "key"),
          Map.entry("ownerReferences", "uid"),
          Map.entry("addresses", "type"),
          Map.entry("hostAliases", "ip"),
          Map.entry("topologySpreadConstraints", "topologyKey"),
          Map.entry("containerStatuses", "name"),
          Map.entry("initContainerStatuses", "name"),
          Map.entry("readinessGates", "conditionType"));

  private Patches() {}

  static ObjectNode apply(String contentType, ObjectNode target, JsonNode patch, boolean builtIn) {
    String ct = contentType == null ? "" : contentType.split(";")[0].trim();
    JsonNode out =
        switch (ct) {
          case "application/json-patch+json" -> jsonPatch(target, patch);
          case "application/merge-patch+json" -> mergePatch(target, patch);
          case "application/strategic-merge-patch+json" -> {
            if (!builtIn) {
              throw new ApiException(
                  415,
                  "UnsupportedMediaType",
                  "strategic merge patch is not supported for custom resources; use merge patch");
            }
            yield strategic(target, patch);
          }
          case "application/apply-patch+yaml", "application/apply-patch+cbor" ->
              builtIn ? strategic(target, patch) : mergePatch(target, patch);
          default ->
              throw new ApiException(
                  415,
                  "UnsupportedMediaType",
                  "the body of the request was in an unknown format: " + ct);
        };
    if (!(out instanceof ObjectNode o)) {
      throw ApiException.badRequest("the patch did not produce an object");
    }
    return o;
  }

  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : Json.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  static JsonNode strategic(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    if ("replace".equals(patch.path("$patch").asText())) {
      ObjectNode replaced = ((ObjectNode) patch).deepCopy();
      replaced.remove("$patch");
      return replaced;
    }
    ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : Json.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String field = e.getKey();
      JsonNode value = e.getValue();
      if (field.startsWith("$setElementOrder/") || field.equals("$retainKeys")) {
        continue;
      }
      if (field.startsWith("$deleteFromPrimitiveList/")) {
        String list = field.substring("$deleteFromPrimitiveList/".length());
        if (result.get(list) instanceof ArrayNode a) {
          for (int i = a.size() - 1; i >= 0; i--) {
            for (JsonNode v : value) {
              if (a.get(i).equals(v)) {
                a.remove(i);
                break;
              }
            }
          }
        }
        continue;
      }
      if (value.isNull()) {
        result.remove(field);
      } else if (value.isArray() && result.get(field) instanceof ArrayNode current) {
        result.set(field, mergeList(field, current, (ArrayNode) value));
      } else {
        result.set(field, strategic(result.get(field), value));
      }
    }
    return result;
  }

  private static ArrayNode mergeList(String field, ArrayNode current, ArrayNode patch) {
    if ("finalizers".equals(field)) {
      ArrayNode out = current.deepCopy();
      for (JsonNode v : patch) {
        boolean present = false;
        for (JsonNode c : out) {
          present |= c.equals(v);
        }
        if (!present) {
          out.add(v);
        }
      }
      return out;
    }
    String key = MERGE_KEYS.get(field);
    if (key == null) {
      return patch.deepCopy();
    }
    ArrayNode out = current.deepCopy();
    for (JsonNode item : patch) {
      if ("replace".equals(item.path("$patch").asText()) && item.size() == 1) {
        return Json.MAPPER.createArrayNode();
      }
      int at = indexOf(out, key, item.path(key));
      boolean delete = "delete".equals(item.path("$patch").asText());
      if (delete) {
        if (at >= 0) {
          out.remove(at);
        }
      } else if (at >= 0) {
        out.set(at, strategic(out.get(at), item));
      } else {
        // a new element: its null fields are deletions of nothing, not values to store
        out.add(item.isObject() ? strategic(Json.object(), item) : item.deepCopy());
      }
    }
    return out;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).path(key).equals(value)) {
        return i;
      }
    }
    return -1;
  }

  static JsonNode jsonPatch(JsonNode target, JsonNode patch) {
    if (!patch.isArray()) {
      throw ApiException.badRequest("a JSON patch must be an array of operations");
    }
    JsonNode doc = target;
    for (JsonNode op : patch) {
      String path = op.path("path").asText();
      switch (op.path("op").asText()) {
        case "add" -> doc = add(doc, path, op.get("value").deepCopy());
        case "remove" -> doc = remove(doc, path);
        case "replace" -> {
          locate(doc, path);
          doc = add(remove(doc, path), path, op.get("value").deepCopy());
        }
        case "move" -> {
          JsonNode v = locate(doc, op.path("from").asText()).deepCopy();
          doc = add(remove(doc, op.path("from").asText()), path, v);
        }
        case "copy" -> doc = add(doc, path, locate(doc, op.path("from").asText()).deepCopy());
        case "test" -> {
          if (!locate(doc, path).equals(op.get("value"))) {
            throw new ApiException(
                422,
                "Invalid",
                "the server rejected our request due to an error in our request: test failed at "
                    + path);
          }
        }
        default ->
            throw ApiException.badRequest("unknown JSON patch op: " + op.path("op").asText());
      }
    }
    return doc;
  }

  private static String[] tokens(String pointer) {
    if (pointer.isEmpty()) {
      return new String[0];
    }
    String[] parts = pointer.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = parts[i].replace("~1", "/").replace("~0", "~");
    }
    return parts;
  }

  private static JsonNode locate(JsonNode doc, String pointer) {
    JsonNode n = doc;
    for (String t : tokens(pointer)) {
      n = n.isArray() ? n.path(parseIndex(t, n.size() - 1)) : n.path(t);
      if (n.isMissingNode()) {
        throw new ApiException(422, "Invalid", "JSON patch: path not found: " + pointer);
      }
    }
    return n;
  }

  private static int parseIndex(String t, int max) {
    try {
      int i = Integer.parseInt(t);
      if (i < 0 || i > max) {
        throw new ApiException(422, "Invalid", "JSON patch: index out of range: " + t);
      }
      return i;
    } catch (NumberFormatException e) {
      throw new ApiException(422, "Invalid", "JSON patch: not an array index: " + t);
    }
  }

  private static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
    String[] t = tokens(pointer);
    if (t.length == 0) {
      return value;
    }
    JsonNode parent = locate(doc, parentPointer(pointer));
    String last = t[t.length - 1];
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      if ("-".equals(last)) {
        a.add(value);
      } else {
        a.insert(parseIndex(last, a.size()), value);
      }
    } else {
      throw new ApiException(422, "Invalid", "JSON patch: cannot add at " + pointer);
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String pointer) {
    locate(doc, pointer);
    String[] t = tokens(pointer);
    JsonNode parent = locate(doc, parentPointer(pointer));
    String last = t[t.length - 1];
    if (parent instanceof ObjectNode o) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(parseIndex(last, a.size() - 1));
    }
    return doc;
  }

  private static String parentPointer(String pointer) {
    return pointer.substring(0, pointer.lastIndexOf('/'));
  }
}
