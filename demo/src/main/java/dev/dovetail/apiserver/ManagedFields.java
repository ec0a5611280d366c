package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code metadata.managedFields} as the API writes it, read into {@link Entry}s and written back:
 * each entry's fields as paths of FieldsV1 segments ({@code f:spec}, {@code k:{...}}, {@code
 * v:"x"}). {@link FieldOwnership} works on the entries; this class only knows the notation.
 */
final class ManagedFields {
  /** One entry of managedFields. */
  record Entry(
      String manager,
      String operation,
      String apiVersion,
      String time,
      String subresource,
      Set<List<String>> fields) {
    String key() {
      return manager + "\u0000" + operation + "\u0000" + subresource;
    }
  }

  private ManagedFields() {}

  /**
   * The entries of the object's {@code metadata.managedFields}, by manager, operation and
   * subresource.
   */
  static Map<String, Entry> read(ObjectNode object) {
    Map<String, Entry> out = new LinkedHashMap<>();
    for (JsonNode e : object.path("metadata").path("managedFields")) {
      Set<List<String>> fields = new LinkedHashSet<>();
      readFields(e.path("fieldsV1"), List.of(), fields);
      Entry entry =
          new Entry(
              e.path("manager").asText(""),
              e.path("operation").asText(FieldOwnership.UPDATE),
              e.path("apiVersion").asText(""),
              e.path("time").asText(""),
              e.path("subresource").asText(""),
              fields);
      out.put(entry.key(), entry);
    }
    return out;
  }

  private static void readFields(JsonNode node, List<String> path, Set<List<String>> out) {
    if (!path.isEmpty() && (node.isEmpty() || node.has("."))) {
      out.add(path);
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String segment = it.next();
      if (!segment.equals(".")) {
        readFields(node.get(segment), FieldOwnership.append(path, segment), out);
      }
    }
  }

  /** The entries as {@code metadata.managedFields} (entries that own nothing left out). */
  static ArrayNode write(java.util.Collection<Entry> entries) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (Entry e : entries) {
      if (e.fields().isEmpty()) {
        continue;
      }
      ObjectNode entry = out.addObject();
      entry.put("manager", e.manager());
      entry.put("operation", e.operation());
      entry.put("apiVersion", e.apiVersion());
      entry.put("time", e.time());
      entry.put("fieldsType", "FieldsV1");
      ObjectNode tree = Json.object();
      for (List<String> path : e.fields()) {
        ObjectNode at = tree;
        for (String segment : path) {
          at = at.with(segment);
        }
        at.putObject(".");
      }
      entry.set("fieldsV1", compact(tree));
      if (!e.subresource().isEmpty()) {
        entry.put("subresource", e.subresource());
      }
    }
    return out;
  }

  /** A member with nothing below is written {@code {}}; one with fields below keeps {@code "."}. */
  private static ObjectNode compact(ObjectNode node) {
    if (node.size() == 1 && node.has(".")) {
      return Json.object();
    }
    ObjectNode out = Json.object();
    node.fields()
        .forEachRemaining(
            e ->
                out.set(
                    e.getKey(),
                    e.getKey().equals(".") ? Json.object() : compact((ObjectNode) e.getValue())));
    return out;
  }
}
