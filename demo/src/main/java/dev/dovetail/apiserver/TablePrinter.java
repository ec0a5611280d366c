package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side printing, as the API server does it for {@code kubectl get}: a {@code meta.k8s.io/v1}
 * Table whose columns are a CRD's {@code additionalPrinterColumns} (so NodePools and NodeClaims
 * print upstream's columns, {@code -o wide} the priority-1 ones), or kube-apiserver's columns for
 * nodes and pods; any other kind prints NAME and AGE.
 */
final class TablePrinter {
  private TablePrinter() {}

  private record Column(String name, String type, String jsonPath, int priority) {}

  static ObjectNode table(
      ResourceType type, JsonNode crd, List<StoredObject> objects, Instant now) {
    List<Column> columns = columns(type, crd);
    ObjectNode table = Json.object();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata");
    ArrayNode defs = table.putArray("columnDefinitions");
    defs.addObject()
        .put("name", "Name")
        .put("type", "string")
        .put("format", "name")
        .put("description", "Name")
        .put("priority", 0);
    for (Column c : columns) {
      defs.addObject()
          .put("name", c.name())
          .put("type", c.type())
          .put("format", "")
          .put("description", c.name())
          .put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (StoredObject stored : objects) {
      ObjectNode o = stored.tree();
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(o.path("metadata").path("name").asText());
      for (Column c : columns) {
        cells.add(cell(c, o, now));
      }
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata");
      partial.put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", o.path("metadata").deepCopy());
    }
    return table;
  }

  private static List<Column> columns(ResourceType type, JsonNode crd) {
    List<Column> out = new ArrayList<>();
    if (crd != null) {
      for (JsonNode v : crd.path("spec").path("versions")) {
        if (!type.version().equals(v.path("name").asText())) {
          continue;
        }
        boolean age = false;
        for (JsonNode c : v.path("additionalPrinterColumns")) {
          String path = c.path("jsonPath").asText();
          age |= path.equals(".metadata.creationTimestamp");
          out.add(
              new Column(
                  c.path("name").asText(),
                  c.path("type").asText("string"),
                  path,
                  c.path("priority").asInt(0)));
        }
        if (!age) {
          out.add(new Column("Age", "date", ".metadata.creationTimestamp", 0));
        }
        return out;
      }
    }
    if (type.group().isEmpty() && type.plural().equals("nodes")) {
      out.add(new Column("Status", "string", "@nodeStatus", 0));
      out.add(new Column("Roles", "string", "@nodeRoles", 0));
      out.add(new Column("Age", "date", ".metadata.creationTimestamp", 0));
      out.add(new Column("Version", "string", ".status.nodeInfo.kubeletVersion", 0));
      out.add(new Column("Internal-IP", "string", "@internalIP", 1));
      out.add(
          new Column(
              "Instance-Type",
              "string",
              ".metadata.labels.node\\.kubernetes\\.io/instance-type",
              1));
      out.add(new Column("Zone", "string", ".metadata.labels.topology\\.kubernetes\\.io/zone", 1));
      return out;
    }
    if (type.group().isEmpty() && type.plural().equals("pods")) {
      out.add(new Column("Status", "string", "@podStatus", 0));
      out.add(new Column("Age", "date", ".metadata.creationTimestamp", 0));
      out.add(new Column("Node", "string", ".spec.nodeName", 1));
      out.add(new Column("Nominated Node", "string", ".status.nominatedNodeName", 1));
      return out;
    }
    out.add(new Column("Age", "date", ".metadata.creationTimestamp", 0));
    return out;
  }

  private static String cell(Column c, JsonNode o, Instant now) {
    String v =
        switch (c.jsonPath()) {
          case "@nodeStatus" -> nodeStatus(o);
          case "@nodeRoles" -> nodeRoles(o);
          case "@internalIP" -> internalIp(o);
          case "@podStatus" -> podStatus(o);
          default -> text(JsonPaths.read(o, c.jsonPath()));
        };
    if ("date".equals(c.type()) && !v.isEmpty()) {
      return age(v, now);
    }
    return v.isEmpty() ? "<none>" : v;
  }

  private static String text(List<JsonNode> values) {
    List<String> parts = new ArrayList<>();
    for (JsonNode n : values) {
      parts.add(n.isValueNode() ? n.asText() : n.toString());
    }
    return String.join(",", parts);
  }

  /** kubectl's age: 42s, 5m, 3h, 2d. */
  static String age(String timestamp, Instant now) {
    try {
      Duration d = Duration.between(Instant.parse(timestamp), now);
      long s = Math.max(0, d.getSeconds());
      if (s < 120) {
        return s + "s";
      }
      if (s < 7200) {
        return (s / 60) + "m";
      }
      if (s < 172800) {
        return (s / 3600) + "h";
      }
      return (s / 86400) + "d";
    } catch (DateTimeParseException e) {
      return timestamp;
    }
  }

  private static String nodeStatus(JsonNode node) {
    String ready = "Unknown";
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        ready = "True".equals(c.path("status").asText()) ? "Ready" : "NotReady";
      }
    }
    return node.path("spec").path("unschedulable").asBoolean(false)
        ? ready + ",SchedulingDisabled"
        : ready;
  }

  private static String nodeRoles(JsonNode node) {
    List<String> roles = new ArrayList<>();
    node.path("metadata")
        .path("labels")
        .fieldNames()
        .forEachRemaining(
            k -> {
              if (k.startsWith("node-role.kubernetes.io/")) {
                roles.add(k.substring("node-role.kubernetes.io/".length()));
              }
            });
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String internalIp(JsonNode node) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if ("InternalIP".equals(a.path("type").asText())) {
        return a.path("address").asText();
      }
    }
    return "";
  }

  private static String podStatus(JsonNode pod) {
    if (!pod.path("metadata").path("deletionTimestamp").isMissingNode()) {
      return "Terminating";
    }
    return pod.path("status").path("phase").asText("Pending");
  }
}
