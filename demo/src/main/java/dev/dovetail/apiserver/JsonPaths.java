package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of Kubernetes' JSONPath that printer columns use: {@code .a.b} (with {@code \.} inside a
 * key, as in {@code .metadata.labels.node\.kubernetes\.io/instance-type}), {@code [n]}, {@code [*]}
 * and filters {@code [?(@.key=="value")]}. Anything else reads as nothing, never as an error.
 */
final class JsonPaths {
  private JsonPaths() {}

  static List<JsonNode> read(JsonNode root, String path) {
    List<JsonNode> current = new ArrayList<>(List.of(root));
    String p =
        path.startsWith("{") && path.endsWith("}") ? path.substring(1, path.length() - 1) : path;
    int i = 0;
    while (i < p.length() && !current.isEmpty()) {
      char c = p.charAt(i);
      if (c == '.') {
        StringBuilder key = new StringBuilder();
        i++;
        while (i < p.length() && p.charAt(i) != '.' && p.charAt(i) != '[') {
          if (p.charAt(i) == '\\' && i + 1 < p.length()) {
            i++;
          }
          key.append(p.charAt(i));
          i++;
        }
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode n : current) {
          JsonNode v = n.get(key.toString());
          if (v != null && !v.isNull()) {
            next.add(v);
          }
        }
        current = next;
      } else if (c == '[') {
        int end = p.indexOf(']', i);
        if (end < 0) {
          return List.of();
        }
        String inside = p.substring(i + 1, end);
        i = end + 1;
        current = bracket(current, inside);
      } else {
        return List.of();
      }
    }
    return current;
  }

  private static List<JsonNode> bracket(List<JsonNode> current, String inside) {
    List<JsonNode> next = new ArrayList<>();
    if (inside.equals("*")) {
      current.forEach(n -> n.forEach(next::add));
      return next;
    }
    if (inside.startsWith("?(@.") && inside.endsWith(")")) {
      String expr = inside.substring(4, inside.length() - 1);
      int eq = expr.indexOf("==");
      if (eq < 0) {
        return next;
      }
      String key = expr.substring(0, eq).trim();
      String value = expr.substring(eq + 2).trim().replaceAll("^[\"']|[\"']$", "");
      for (JsonNode n : current) {
        for (JsonNode item : n) {
          if (value.equals(item.path(key).asText(null))) {
            next.add(item);
          }
        }
      }
      return next;
    }
    try {
      int index = Integer.parseInt(inside.trim());
      for (JsonNode n : current) {
        JsonNode v = n.get(index);
        if (v != null) {
          next.add(v);
        }
      }
    } catch (NumberFormatException e) {
      // not a form printer columns use
    }
    return next;
  }
}
