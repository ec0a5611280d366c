package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dovetail.validate.CrdCatalog;
import dev.dovetail.validate.ManifestValidator;
import dev.dovetail.validate.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the API server does with a custom resource's structural schema: applies defaults, prunes
 * unknown fields (unless {@code x-kubernetes-preserve-unknown-fields}), then validates, with the
 * engine of {@code dovetail validate} (types, required, enums, bounds, patterns and CEL rules).
 */
final class CrdSchemas {
  private static final Set<String> TOP_LEVEL = Set.of("apiVersion", "kind", "metadata");
  private volatile ManifestValidator validator;
  private final CrdCatalog catalog = CrdCatalog.of(List.of());

  CrdSchemas() {
    validator = new ManifestValidator(catalog);
  }

  /** Makes the validator know a CRD beyond NodePool and NodeClaim (which it knows already). */
  synchronized void register(JsonNode crd) {
    String group = crd.path("spec").path("group").asText();
    if ("karpenter.sh".equals(group)) {
      return;
    }
    try {
      Path file = Files.createTempFile("crd-", ".yaml");
      try {
        Files.writeString(file, Json.MAPPER.writeValueAsString(crd));
        catalog.withCrdFiles(List.of(file));
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    validator = new ManifestValidator(catalog);
  }

  /** Defaults and prunes {@code object} in place, then refuses it (422) if it is invalid. */
  void admit(ResourceType type, ObjectNode object) {
    admit(type, object, "Ignore");
  }

  /**
   * Like {@link #admit(ResourceType, ObjectNode)}, with the request's {@code fieldValidation}:
   * {@code Strict} refuses (400) an object with fields its schema does not know, {@code Warn} and
   * {@code Ignore} drop them.
   *
   * @return the unknown fields dropped (for {@code Warn}'s warnings)
   */
  List<String> admit(ResourceType type, ObjectNode object, String fieldValidation) {
    if (type.schema() == null) {
      return List.of();
    }
    applyDefaults(type.schema(), object, true);
    List<String> unknown = new java.util.ArrayList<>();
    prune(type.schema(), object, true, "", unknown);
    if ("Strict".equals(fieldValidation) && !unknown.isEmpty()) {
      throw ApiException.badRequest(
          type.kind()
              + " in version \""
              + type.version()
              + "\" cannot be handled as a "
              + type.kind()
              + ": strict decoding error: "
              + unknown.stream()
                  .map(f -> "unknown field \"" + f + "\"")
                  .collect(Collectors.joining(", ")));
    }
    List<Problem> problems = validator.validate(type.kind(), object.toString());
    if (!problems.isEmpty()) {
      throw ApiException.invalid(
          type.kind()
              + " \""
              + object.path("metadata").path("name").asText()
              + "\" is invalid: "
              + problems.stream()
                  .map(p -> (p.path().isEmpty() ? "" : p.path() + ": ") + p.message())
                  .collect(Collectors.joining(", ")));
    }
    return unknown;
  }

  static void applyDefaults(JsonNode schema, JsonNode node, boolean root) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        if (root && TOP_LEVEL.contains(p.getKey())) {
          continue;
        }
        if (!object.has(p.getKey()) && p.getValue().has("default")) {
          object.set(p.getKey(), p.getValue().get("default").deepCopy());
        }
        if (object.has(p.getKey())) {
          applyDefaults(p.getValue(), object.get(p.getKey()), false);
        }
      }
      JsonNode additional = schema.path("additionalProperties");
      if (additional.isObject()) {
        object.forEach(value -> applyDefaults(additional, value, false));
      }
    } else if (node instanceof ArrayNode array && schema.has("items")) {
      array.forEach(item -> applyDefaults(schema.get("items"), item, false));
    }
  }

  static void prune(JsonNode schema, JsonNode node, boolean root) {
    prune(schema, node, root, "", new java.util.ArrayList<>());
  }

  /** Drops the fields the schema does not know, noting each one's path in {@code dropped}. */
  static void prune(
      JsonNode schema, JsonNode node, boolean root, String path, List<String> dropped) {
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        && !schema.has("properties")) {
      return;
    }
    if (node instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (root && TOP_LEVEL.contains(e.getKey())) {
          continue;
        }
        String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (properties.has(e.getKey())) {
          prune(properties.get(e.getKey()), e.getValue(), false, at, dropped);
        } else if (additional.isObject()) {
          prune(additional, e.getValue(), false, at, dropped);
        } else if (!preserve && !additional.asBoolean(false)) {
          dropped.add(at);
          it.remove();
        }
      }
    } else if (node instanceof ArrayNode array && schema.has("items")) {
      for (int i = 0; i < array.size(); i++) {
        prune(schema.get("items"), array.get(i), false, path + "[" + i + "]", dropped);
      }
    }
  }
}
