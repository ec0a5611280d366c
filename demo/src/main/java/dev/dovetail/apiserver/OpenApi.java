package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI v3 documents kubectl reads before it writes: {@code /openapi/v3} (one entry per group
 * version) and {@code /openapi/v3/apis/GROUP/VERSION} (its paths and schemas). kubectl looks there
 * for the {@code fieldValidation} parameter on each kind's PATCH operation; finding it, it leaves
 * validation to the server (unknown fields refused with {@code fieldValidation=Strict}, the schema
 * checked on admission) instead of failing to validate client-side. A CRD's schema is its {@code
 * openAPIV3Schema}; the built-in kinds kubectl explains (pods, nodes, events, namespaces, ...) have
 * their fields' schemas from fabric8's model ({@link BuiltInSchemas}), the others an open object.
 */
final class OpenApi {
  /** Query parameters of every write, as the API server documents them. */
  private static final List<String> WRITE_PARAMS =
      List.of("dryRun", "fieldManager", "fieldValidation", "pretty");

  private final ResourceTypes types;
  private final BuiltInSchemas builtIn = new BuiltInSchemas();

  OpenApi(ResourceTypes types) {
    this.types = types;
  }

  /** {@code /openapi/v3}: where each group version's document is. */
  ObjectNode discovery() {
    ObjectNode root = Json.object();
    ObjectNode paths = root.putObject("paths");
    for (Map.Entry<String, List<String>> g : types.groups().entrySet()) {
      for (String version : g.getValue()) {
        String gv = g.getKey().isEmpty() ? "api/" + version : "apis/" + g.getKey() + "/" + version;
        paths
            .putObject(gv)
            .put(
                "serverRelativeURL",
                "/openapi/v3/" + gv + "?hash=" + hash(document(g.getKey(), version)));
      }
    }
    return root;
  }

  /** The document of one group version, or null if it is not served. */
  ObjectNode document(String group, String version) {
    List<ResourceType> served = types.inGroupVersion(group, version);
    if (served.isEmpty()) {
      return null;
    }
    ObjectNode doc = Json.object();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0-dovetail");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    for (ResourceType t : served) {
      String name = schemaName(t);
      schemas.set(name, schema(t));
      String ref = "#/components/schemas/" + name;
      String base =
          (group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version)
              + (t.namespaced() ? "/namespaces/{namespace}/" : "/")
              + t.plural();
      ObjectNode collection = paths.putObject(base);
      collection.set("get", operation(t, "list", ref, List.of("labelSelector", "fieldSelector")));
      collection.set("post", operation(t, "post", ref, WRITE_PARAMS));
      ObjectNode item = paths.putObject(base + "/{name}");
      item.set("get", operation(t, "get", ref, List.of()));
      item.set("put", operation(t, "put", ref, WRITE_PARAMS));
      item.set("patch", operation(t, "patch", ref, WRITE_PARAMS));
      item.set("delete", operation(t, "delete", ref, List.of("dryRun", "propagationPolicy")));
      if (t.statusSubresource()) {
        ObjectNode status = paths.putObject(base + "/{name}/status");
        status.set("get", operation(t, "get", ref, List.of()));
        status.set("put", operation(t, "put", ref, WRITE_PARAMS));
        status.set("patch", operation(t, "patch", ref, WRITE_PARAMS));
      }
    }
    return doc;
  }

  private static ObjectNode operation(
      ResourceType t, String action, String ref, List<String> params) {
    ObjectNode op = Json.object();
    op.put("operationId", action + t.kind());
    ArrayNode parameters = op.putArray("parameters");
    for (String p : params) {
      ObjectNode param = parameters.addObject();
      param.put("name", p);
      param.put("in", "query");
      param.putObject("schema").put("type", "string").put("uniqueItems", true);
    }
    if (List.of("post", "put", "patch").contains(action)) {
      ObjectNode body = op.putObject("requestBody").put("required", true).putObject("content");
      List<String> media =
          action.equals("patch")
              ? List.of(
                  "application/json-patch+json",
                  "application/merge-patch+json",
                  "application/strategic-merge-patch+json",
                  "application/apply-patch+yaml")
              : List.of("application/json");
      for (String m : media) {
        if (m.startsWith("application/strategic") && !ResourceTypes.isBuiltIn(t)) {
          continue;
        }
        body.putObject(m).putObject("schema").put("$ref", ref);
      }
    }
    op.putObject("responses")
        .putObject("200")
        .put("description", "OK")
        .putObject("content")
        .putObject("application/json")
        .putObject("schema")
        .put("$ref", ref);
    op.put("x-kubernetes-action", action);
    gvk(op.putObject("x-kubernetes-group-version-kind"), t);
    return op;
  }

  private ObjectNode schema(ResourceType t) {
    ObjectNode s;
    if (t.schema() != null) {
      s = t.schema().deepCopy();
    } else if ((s = builtIn.of(t)) == null) {
      s = Json.object();
      s.put("type", "object");
      s.put("x-kubernetes-preserve-unknown-fields", true);
    }
    gvk(s.putArray("x-kubernetes-group-version-kind").addObject(), t);
    return s;
  }

  private static void gvk(ObjectNode node, ResourceType t) {
    node.put("group", t.group());
    node.put("kind", t.kind());
    node.put("version", t.version());
  }

  /** Upstream's schema names: {@code io.k8s.api.core.v1.Pod}, {@code sh.karpenter.v1.NodePool}. */
  static String schemaName(ResourceType t) {
    String prefix;
    if (t.group().isEmpty()) {
      prefix = "io.k8s.api.core";
    } else if (ResourceTypes.isBuiltIn(t) && !t.group().contains(".")) {
      prefix = "io.k8s.api." + t.group();
    } else {
      List<String> parts = new java.util.ArrayList<>(List.of(t.group().split("\\.")));
      java.util.Collections.reverse(parts);
      prefix = String.join(".", parts);
    }
    return prefix + "." + t.version() + "." + t.kind();
  }

  /** A stable tag of a document's content, for the client's cache. */
  static String hash(JsonNode doc) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(doc.toString().getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < 16; i++) {
        hex.append(String.format("%02X", digest[i]));
      }
      return hex.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
