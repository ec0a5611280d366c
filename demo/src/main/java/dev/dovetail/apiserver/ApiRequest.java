package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A request as the handler sees it, whatever the transport. */
record ApiRequest(
    String method,
    String path,
    Map<String, String> query,
    String contentType,
    byte[] body,
    String accept,
    String userAgent) {

  ApiRequest(
      String method, String path, Map<String, String> query, String contentType, byte[] body) {
    this(method, path, query, contentType, body, null, null);
  }

  /**
   * The field manager of a write: {@code fieldManager}, else the client's User-Agent up to its
   * first slash (as the API server names managers: {@code kubectl}, {@code fabric8-...}).
   */
  String fieldManager() {
    String m = param("fieldManager");
    if (m != null && !m.isEmpty()) {
      return m;
    }
    if (userAgent == null || userAgent.isBlank()) {
      return "unknown";
    }
    int slash = userAgent.indexOf('/');
    return (slash < 0 ? userAgent : userAgent.substring(0, slash)).trim();
  }

  /** Whether the client asks for a server-side table (kubectl get: {@code as=Table}). */
  boolean wantsTable() {
    return accept != null && accept.contains("as=Table");
  }

  static Map<String, String> parseQuery(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      q.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return q;
  }

  String param(String name) {
    return query.get(name);
  }

  boolean isWatch() {
    String w = query.get("watch");
    return "true".equals(w) || "1".equals(w);
  }

  /** The body parsed as JSON (or YAML, as kubectl may send); 400 without a body. */
  JsonNode bodyTree() throws IOException {
    if (body == null || body.length == 0) {
      throw ApiException.badRequest("the request has no body");
    }
    String ct = contentType == null ? "" : contentType;
    return ct.contains("yaml") ? Json.YAML.readTree(body) : Json.MAPPER.readTree(body);
  }

  /** The body as a JSON object; 400 if it is anything else. */
  ObjectNode bodyObject() throws IOException {
    if (!(bodyTree() instanceof ObjectNode o)) {
      throw ApiException.badRequest("the request body is not a JSON object");
    }
    return o;
  }
}
