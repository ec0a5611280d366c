package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dovetail.apiserver.ManagedFields.Entry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server-side apply's field ownership ({@code metadata.managedFields}): which manager set which
 * field, in the API's FieldsV1 notation ({@code f:spec}, {@code k:{"type":"Ready"}} for an element
 * of a keyed list, {@code v:"x"} for a member of a set such as finalizers).
 *
 * <p>An apply by manager M: the fields of its configuration become M's; a field another manager
 * owns with a different value is a conflict (409) unless forced, when it changes hands; a field M
 * owned before and no longer applies is removed unless someone else owns it too. Writes that are
 * not applies (PUT, patches) take the fields they change from the others, under their manager
 * ({@code fieldManager}, else the client's User-Agent), once an object has managed fields.
 *
 * <p>Simplifications, on purpose: objects nobody ever applied carry no managedFields (tracking
 * every write would cost a diff of every object on every write; the first apply then sees no other
 * owners); list semantics come from one table of keys ({@link Patches#MERGE_KEYS}) for every kind
 * rather than each CRD's {@code x-kubernetes-list-type}; other lists are atomic.
 */
final class FieldOwnership {
  static final String APPLY = "Apply";
  static final String UPDATE = "Update";

  /** Fields that are the server's, never anyone's: left out of every field set. */
  private static final Set<String> SERVER_METADATA =
      Set.of(
          "name",
          "namespace",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "managedFields",
          "selfLink");

  private FieldOwnership() {}

  /**
   * Applies {@code config} (an apply patch, its metadata cleaned) to {@code object} in place as
   * {@code manager}, and returns the managedFields to store.
   *
   * @param status whether the apply went to {@code /status} (only the status counts there; on the
   *     main resource of a kind with a status subresource, the status is ignored)
   */
  static ArrayNode apply(
      ResourceType type,
      ObjectNode object,
      ObjectNode config,
      String manager,
      boolean force,
      boolean status) {
    String subresource = status ? "status" : "";
    Map<String, Entry> entries = ManagedFields.read(object);
    Set<List<String>> applied = fieldsOf(config, scope(type, status));
    List<String> conflicts = new ArrayList<>();
    for (Entry other : entries.values()) {
      if (other.manager().equals(manager) && other.operation().equals(APPLY)) {
        continue;
      }
      for (Iterator<List<String>> it = other.fields().iterator(); it.hasNext(); ) {
        List<String> path = it.next();
        if (!applied.contains(path) || !isLeaf(path)) {
          continue;
        }
        if (!java.util.Objects.equals(resolve(object, path), resolve(config, path))) {
          if (force) {
            it.remove();
          } else {
            conflicts.add("conflict with \"" + other.manager() + "\": " + display(path));
          }
        }
      }
    }
    if (!conflicts.isEmpty()) {
      throw new ApiException(
          409,
          "Conflict",
          "Apply failed with "
              + conflicts.size()
              + " conflict"
              + (conflicts.size() == 1 ? "" : "s")
              + ": "
              + String.join("; ", conflicts));
    }
    String key = manager + "\u0000" + APPLY + "\u0000" + subresource;
    Entry mine = entries.get(key);
    if (mine != null) {
      Set<List<String>> ownedByOthers = new java.util.HashSet<>();
      entries.forEach(
          (k, e) -> {
            if (!k.equals(key)) {
              ownedByOthers.addAll(e.fields());
            }
          });
      for (List<String> path : mine.fields()) {
        if (!applied.contains(path) && !ownedAtOrBelow(path, ownedByOthers)) {
          remove(object, path);
        }
      }
    }
    merge(object, config, scope(type, status));
    // the same fields again keep their time: an apply that changes nothing is a no-op
    String time = mine != null && mine.fields().equals(applied) ? mine.time() : Timestamps.now();
    entries.put(key, new Entry(manager, APPLY, type.apiVersion(), time, subresource, applied));
    return ManagedFields.write(entries.values());
  }

  /**
   * The managedFields after a write that is not an apply, from {@code before} to {@code after}: the
   * fields it changed become {@code manager}'s (operation Update); null when {@code before} had
   * none (see the class comment).
   */
  static ArrayNode update(
      ResourceType type, ObjectNode before, ObjectNode after, String manager, boolean status) {
    if (!(before.path("metadata").path("managedFields") instanceof ArrayNode mf) || mf.isEmpty()) {
      return null;
    }
    String subresource = status ? "status" : "";
    Map<String, Entry> entries = ManagedFields.read(before);
    Set<String> scope = scope(type, status);
    Set<List<String>> changed = new LinkedHashSet<>();
    for (List<String> path : fieldsOf(after, scope)) {
      if (!java.util.Objects.equals(resolve(before, path), resolve(after, path))) {
        changed.add(path);
      }
    }
    Set<List<String>> gone = new LinkedHashSet<>();
    for (List<String> path : fieldsOf(before, scope)) {
      if (resolve(after, path) == null) {
        gone.add(path);
      }
    }
    if (changed.isEmpty() && gone.isEmpty()) {
      return mf;
    }
    for (Entry e : entries.values()) {
      e.fields().removeAll(changed);
      e.fields().removeAll(gone);
    }
    String key = manager + "\u0000" + UPDATE + "\u0000" + subresource;
    Entry mine =
        entries.computeIfAbsent(
            key,
            k ->
                new Entry(
                    manager,
                    UPDATE,
                    type.apiVersion(),
                    Timestamps.now(),
                    subresource,
                    new LinkedHashSet<>()));
    mine.fields().addAll(changed);
    entries.put(
        key,
        new Entry(
            manager, UPDATE, type.apiVersion(), Timestamps.now(), subresource, mine.fields()));
    return ManagedFields.write(entries.values());
  }

  /** The top-level fields a write to this endpoint may own. */
  private static Set<String> scope(ResourceType type, boolean status) {
    if (status) {
      return Set.of("status");
    }
    return type.statusSubresource() ? Set.of("!status") : Set.of();
  }

  private static boolean inScope(String field, Set<String> scope) {
    if (field.equals("apiVersion") || field.equals("kind")) {
      return false;
    }
    if (scope.isEmpty()) {
      return true;
    }
    if (scope.contains("!" + field)) {
      return false;
    }
    return scope.contains(field) || scope.stream().allMatch(s -> s.startsWith("!"));
  }

  // ---- field sets ----

  static Set<List<String>> fieldsOf(ObjectNode object, Set<String> scope) {
    Set<List<String>> out = new LinkedHashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!inScope(e.getKey(), scope) || e.getValue().isNull()) {
        continue;
      }
      List<String> path = List.of("f:" + e.getKey());
      if (e.getKey().equals("metadata") && e.getValue() instanceof ObjectNode meta) {
        for (Iterator<Map.Entry<String, JsonNode>> m = meta.fields(); m.hasNext(); ) {
          Map.Entry<String, JsonNode> f = m.next();
          if (!SERVER_METADATA.contains(f.getKey()) && !f.getValue().isNull()) {
            collect(f.getValue(), append(path, "f:" + f.getKey()), f.getKey(), out);
          }
        }
      } else {
        collect(e.getValue(), path, e.getKey(), out);
      }
    }
    return out;
  }

  private static void collect(
      JsonNode node, List<String> path, String field, Set<List<String>> out) {
    if (node instanceof ObjectNode o) {
      if (o.isEmpty()) {
        out.add(path);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          collect(e.getValue(), append(path, "f:" + e.getKey()), e.getKey(), out);
        }
      }
    } else if (node instanceof ArrayNode a && isSet(field)) {
      a.forEach(v -> out.add(append(path, "v:" + v)));
    } else if (node instanceof ArrayNode a && keyed(field, a) != null) {
      String key = keyed(field, a);
      for (JsonNode item : a) {
        List<String> element = append(path, elementSegment(key, item));
        out.add(element);
        collect(item, element, null, out);
      }
    } else {
      out.add(path);
    }
  }

  private static boolean isSet(String field) {
    return "finalizers".equals(field);
  }

  /** The key of a list merged element by element, if every element has it; null: atomic. */
  private static String keyed(String field, ArrayNode list) {
    String key = field == null ? null : Patches.MERGE_KEYS.get(field);
    if (key == null) {
      return null;
    }
    for (JsonNode item : list) {
      if (!item.isObject() || !item.hasNonNull(key)) {
        return null;
      }
    }
    return key;
  }

  private static String elementSegment(String key, JsonNode item) {
    ObjectNode k = Json.object();
    k.set(key, item.get(key));
    return "k:" + k;
  }

  static List<String> append(List<String> path, String segment) {
    List<String> out = new ArrayList<>(path.size() + 1);
    out.addAll(path);
    out.add(segment);
    return List.copyOf(out);
  }

  /** Whether someone owns {@code path} or a field inside it (an element others still set). */
  private static boolean ownedAtOrBelow(List<String> path, Set<List<String>> owned) {
    for (List<String> o : owned) {
      if (o.size() >= path.size() && o.subList(0, path.size()).equals(path)) {
        return true;
      }
    }
    return false;
  }

  /** A leaf: a value, not the marker of a list element or set member that has fields below. */
  private static boolean isLeaf(List<String> path) {
    String last = path.get(path.size() - 1);
    return !last.startsWith("k:") && !last.startsWith("v:");
  }

  /** The value at a path, or null. */
  static JsonNode resolve(JsonNode root, List<String> path) {
    JsonNode at = root;
    for (String segment : path) {
      if (at == null) {
        return null;
      }
      at = step(at, segment);
    }
    return at == null || at.isNull() || at.isMissingNode() ? null : at;
  }

  private static JsonNode step(JsonNode at, String segment) {
    if (segment.startsWith("f:")) {
      return at.isObject() ? at.get(segment.substring(2)) : null;
    }
    int i = indexIn(at, segment);
    return i < 0 ? null : at.get(i);
  }

  private static int indexIn(JsonNode list, String segment) {
    if (!(list instanceof ArrayNode a)) {
      return -1;
    }
    try {
      JsonNode wanted = Json.MAPPER.readTree(segment.substring(2));
      for (int i = 0; i < a.size(); i++) {
        JsonNode item = a.get(i);
        if (segment.startsWith("v:") ? item.equals(wanted) : contains(item, wanted)) {
          return i;
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return -1;
  }

  private static boolean contains(JsonNode item, JsonNode keys) {
    for (Iterator<Map.Entry<String, JsonNode>> it = keys.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> k = it.next();
      if (!k.getValue().equals(item.get(k.getKey()))) {
        return false;
      }
    }
    return item.isObject();
  }

  private static void remove(ObjectNode root, List<String> path) {
    JsonNode parent = resolve(root, path.subList(0, path.size() - 1));
    String last = path.get(path.size() - 1);
    if (parent instanceof ObjectNode o && last.startsWith("f:")) {
      o.remove(last.substring(2));
    } else if (parent instanceof ArrayNode a) {
      int i = indexIn(a, last);
      if (i >= 0) {
        a.remove(i);
      }
    }
  }

  /** Merges an applied configuration: objects field by field, keyed lists and sets by element. */
  private static void merge(ObjectNode target, ObjectNode config, Set<String> scope) {
    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (inScope(e.getKey(), scope)
          || e.getKey().equals("apiVersion")
          || e.getKey().equals("kind")) {
        mergeField(target, e.getKey(), e.getValue());
      }
    }
  }

  private static void mergeField(ObjectNode target, String field, JsonNode value) {
    JsonNode current = target.get(field);
    if (value.isNull()) {
      return;
    }
    if (value instanceof ObjectNode v && current instanceof ObjectNode c) {
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        mergeField(c, e.getKey(), e.getValue());
      }
    } else if (value instanceof ArrayNode v && current instanceof ArrayNode c && isSet(field)) {
      v.forEach(
          x -> {
            if (!contains(c, x)) {
              c.add(x.deepCopy());
            }
          });
    } else if (value instanceof ArrayNode v
        && current instanceof ArrayNode c
        && keyed(field, v) != null
        && keyed(field, c) != null) {
      String key = keyed(field, v);
      for (JsonNode item : v) {
        int i = indexIn(c, elementSegment(key, item));
        if (i < 0) {
          c.add(item.deepCopy());
        } else {
          ObjectNode wrapper = Json.object();
          wrapper.set("e", c.get(i));
          mergeField(wrapper, "e", item);
          c.set(i, wrapper.get("e"));
        }
      }
    } else {
      target.set(field, value.deepCopy());
    }
  }

  private static boolean contains(ArrayNode list, JsonNode value) {
    for (JsonNode x : list) {
      if (x.equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** A path as the API's conflict messages show it: {@code .status.conditions[type="Ready"]}. */
  private static String display(List<String> path) {
    StringBuilder sb = new StringBuilder();
    for (String s : path) {
      if (s.startsWith("f:")) {
        sb.append('.').append(s.substring(2));
      } else {
        sb.append('[').append(s.substring(2)).append(']');
      }
    }
    return sb.toString();
  }
}
