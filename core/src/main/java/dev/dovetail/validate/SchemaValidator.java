package dev.dovetail.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validates one object against a CRD's structural OpenAPI v3 schema the way the API server does:
 * defaults first, then types, unknown fields (pruning would drop them silently; we report them, as
 * {@code kubectl apply --validate=strict} does), required fields, enums, patterns, bounds, sizes
 * and the CEL rules ({@code x-kubernetes-validations}) evaluated by {@link CelRules}; transition
 * rules (those reading {@code oldSelf}) only when a stored object is given, as on an update.
 */
public final class SchemaValidator {

  /** A problem at a field path. */
  public record FieldProblem(String path, String message) {}

  private final List<FieldProblem> problems = new ArrayList<>();
  private final CelRules cel;

  private SchemaValidator(CelRules cel) {
    this.cel = cel;
  }

  /**
   * Validates {@code object} (the whole custom resource) against {@code schema} (the version's
   * {@code openAPIV3Schema}); {@code apiVersion}, {@code kind} and {@code metadata} are checked by
   * the caller.
   */
  static List<FieldProblem> validate(JsonNode schema, ObjectNode object, CelRules cel) {
    return validate(schema, object, null, cel);
  }

  /**
   * Validates an update: as {@link #validate(JsonNode, ObjectNode, CelRules)}, with {@code old}
   * (the stored object, or null on a create) as {@code oldSelf} for transition rules.
   */
  public static List<FieldProblem> validate(
      JsonNode schema, ObjectNode object, ObjectNode old, CelRules cel) {
    SchemaValidator v = new SchemaValidator(cel);
    ObjectNode defaulted = withoutMeta(object);
    applyDefaults(schema, defaulted);
    ObjectNode oldDefaulted = null;
    if (old != null) {
      oldDefaulted = withoutMeta(old);
      applyDefaults(schema, oldDefaulted);
    }
    v.check(schema, defaulted, oldDefaulted, "");
    return v.problems;
  }

  private static ObjectNode withoutMeta(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    for (String meta : List.of("apiVersion", "kind", "metadata")) {
      copy.remove(meta);
    }
    return copy;
  }

  /** The API server applies defaults before validating; so do we, so rules see the same object. */
  static void applyDefaults(JsonNode schema, JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        if (!object.has(p.getKey()) && p.getValue().has("default")) {
          object.set(p.getKey(), p.getValue().get("default").deepCopy());
        }
        if (object.has(p.getKey())) {
          applyDefaults(p.getValue(), object.get(p.getKey()));
        }
      }
      JsonNode additional = schema.path("additionalProperties");
      if (additional.isObject()) {
        object.forEach(value -> applyDefaults(additional, value));
      }
    } else if (node instanceof ArrayNode array && schema.has("items")) {
      array.forEach(item -> applyDefaults(schema.get("items"), item));
    }
  }

  private void problem(String path, String message) {
    problems.add(new FieldProblem(path, message));
  }

  private void check(JsonNode schema, JsonNode node, JsonNode old, String path) {
    if (node.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        problem(path, "must not be null");
      }
      return;
    }
    if (!typeMatches(schema, node, path)) {
      return;
    }
    if (schema.has("enum") && !contains(schema.get("enum"), node)) {
      problem(
          path,
          "unsupported value "
              + node
              + ", supported values: "
              + stream(schema.get("enum"))
                  .map(JsonNode::toString)
                  .collect(Collectors.joining(", ")));
    }
    if (node.isTextual()) {
      checkString(schema, node.asText(), path);
    } else if (node.isNumber()) {
      checkNumber(schema, node, path);
    } else if (node.isArray()) {
      checkArray(schema, node, path);
    } else if (node.isObject()) {
      checkObject(schema, (ObjectNode) node, old, path);
    }
    for (JsonNode v : schema.path("x-kubernetes-validations")) {
      String rule = v.path("rule").asText();
      CelRules.Outcome outcome = cel.evaluate(rule, node, old);
      if (outcome instanceof CelRules.Outcome.Failed) {
        problem(path, message(v, rule));
      } else if (outcome instanceof CelRules.Outcome.Error error) {
        problem(path, message(v, rule) + " (rule could not be evaluated: " + error.detail() + ")");
      }
    }
  }

  private static String message(JsonNode validation, String rule) {
    String message = validation.path("message").asText("");
    return message.isEmpty() ? "failed rule: " + rule : message;
  }

  private boolean typeMatches(JsonNode schema, JsonNode node, String path) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (node.isIntegralNumber() || node.isTextual()) {
        return true;
      }
      problem(path, "must be an integer or a string, got " + describe(node));
      return false;
    }
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        && !schema.has("type")) {
      return true;
    }
    String type = schema.path("type").asText("");
    boolean ok =
        switch (type) {
          case "object" -> node.isObject();
          case "array" -> node.isArray();
          case "string" -> node.isTextual();
          case "integer" -> node.isIntegralNumber();
          case "number" -> node.isNumber();
          case "boolean" -> node.isBoolean();
          default -> true;
        };
    if (!ok) {
      String hint =
          type.equals("string") && (node.isNumber() || node.isBoolean())
              ? " (quote it: \"" + node.asText() + "\")"
              : "";
      problem(path, "must be " + typeName(type) + ", got " + describe(node) + hint);
    }
    return ok;
  }

  private void checkString(JsonNode schema, String value, String path) {
    int length = value.codePointCount(0, value.length());
    if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
      problem(path, "must be at least " + schema.get("minLength").asInt() + " characters long");
    }
    if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
      problem(
          path,
          "must be at most " + schema.get("maxLength").asInt() + " characters long, got " + length);
    }
    if (schema.has("pattern")) {
      String pattern = schema.get("pattern").asText();
      if (!Pattern.compile(pattern).matcher(value).find()) {
        problem(path, "invalid value \"" + value + "\": must match " + pattern);
      }
    }
    if ("date-time".equals(schema.path("format").asText())) {
      try {
        OffsetDateTime.parse(value);
      } catch (DateTimeParseException e) {
        problem(path, "invalid value \"" + value + "\": must be an RFC 3339 date-time");
      }
    }
  }

  private void checkNumber(JsonNode schema, JsonNode value, String path) {
    double v = value.asDouble();
    if (schema.has("minimum")) {
      double min = schema.get("minimum").asDouble();
      boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
      if (exclusive ? v <= min : v < min) {
        problem(
            path,
            "invalid value "
                + value
                + ": must be "
                + (exclusive ? "greater than " : "greater than or equal to ")
                + number(min));
      }
    }
    if (schema.has("maximum")) {
      double max = schema.get("maximum").asDouble();
      boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
      if (exclusive ? v >= max : v > max) {
        problem(
            path,
            "invalid value "
                + value
                + ": must be "
                + (exclusive ? "less than " : "less than or equal to ")
                + number(max));
      }
    }
  }

  private void checkArray(JsonNode schema, JsonNode array, String path) {
    if (schema.has("minItems") && array.size() < schema.get("minItems").asInt()) {
      problem(path, "must have at least " + schema.get("minItems").asInt() + " items");
    }
    if (schema.has("maxItems") && array.size() > schema.get("maxItems").asInt()) {
      problem(
          path,
          "must have at most " + schema.get("maxItems").asInt() + " items, got " + array.size());
    }
    if (schema.has("items")) {
      for (int i = 0; i < array.size(); i++) {
        check(schema.get("items"), array.get(i), null, path + "[" + i + "]");
      }
    }
  }

  private void checkObject(JsonNode schema, ObjectNode object, JsonNode old, String path) {
    if (schema.has("minProperties") && object.size() < schema.get("minProperties").asInt()) {
      problem(path, "must have at least " + schema.get("minProperties").asInt() + " entries");
    }
    if (schema.has("maxProperties") && object.size() > schema.get("maxProperties").asInt()) {
      problem(
          path,
          "must have at most "
              + schema.get("maxProperties").asInt()
              + " entries, got "
              + object.size());
    }
    for (JsonNode required : schema.path("required")) {
      if (!object.has(required.asText())) {
        problem(join(path, required.asText()), "required field is missing");
      }
    }
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (properties.has(name)) {
        check(properties.get(name), field.getValue(), child(old, name), join(path, name));
      } else if (additional.isObject()) {
        check(additional, field.getValue(), child(old, name), path + "[" + name + "]");
      } else if (!preserveUnknown && !additional.asBoolean(false)) {
        problem(join(path, name), "unknown field \"" + name + "\"" + known(properties));
      }
    }
  }

  private static String known(JsonNode properties) {
    if (properties.isEmpty()) {
      return "";
    }
    List<String> names = new ArrayList<>();
    properties.fieldNames().forEachRemaining(names::add);
    return " (known fields: " + String.join(", ", names) + ")";
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static boolean contains(JsonNode values, JsonNode node) {
    for (JsonNode v : values) {
      if (v.equals(node) || (v.isNumber() && node.isNumber() && v.asDouble() == node.asDouble())) {
        return true;
      }
    }
    return false;
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list.stream();
  }

  private static String describe(JsonNode node) {
    String kind =
        node.isObject()
            ? "an object"
            : node.isArray()
                ? "a list"
                : node.isTextual()
                    ? "a string"
                    : node.isBoolean()
                        ? "a boolean"
                        : node.isIntegralNumber() ? "an integer" : "a number";
    return node.isValueNode() ? kind + " (" + node + ")" : kind;
  }

  private static String typeName(String type) {
    return switch (type) {
      case "object" -> "an object";
      case "array" -> "a list";
      case "integer" -> "an integer";
      default -> "a " + type;
    };
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** The stored value of a field or map entry, for transition rules; null when there is none. */
  private static JsonNode child(JsonNode old, String name) {
    return old != null && old.isObject() && old.has(name) ? old.get(name) : null;
  }
}
