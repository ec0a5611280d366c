package dev.dovetail.validate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1.RuntimeValidation;
import dev.dovetail.cloudprovider.NodeClassKind;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks Kubernetes manifests (multi-document YAML or JSON) against the karpenter.sh CRDs and the
 * CRDs of the installed NodeClass kinds, reporting each problem with its file, document index and
 * field path. It never throws for bad input: everything wrong with a file becomes a {@link
 * Problem}.
 */
public final class ManifestValidator {
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("^---(\\s.*)?$");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Set<String> OBJECT_META_FIELDS =
      Set.of(
          "name",
          "generateName",
          "namespace",
          "labels",
          "annotations",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "finalizers",
          "ownerReferences",
          "managedFields",
          "selfLink");

  private final CrdCatalog catalog;
  private final CelRules cel = new CelRules();
  private final ObjectMapper yaml =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  public ManifestValidator(CrdCatalog catalog) {
    this.catalog = catalog;
  }

  /** A validator for NodePool, NodeClaim and the given (installed) NodeClass kinds. */
  public ManifestValidator(List<NodeClassKind> nodeClassKinds) {
    this(CrdCatalog.of(nodeClassKinds));
  }

  /** Validates a file; {@code name} is how problems refer to it. */
  public List<Problem> validate(Path file) {
    String name = file.toString();
    try {
      if (Files.isDirectory(file)) {
        return List.of(new Problem(name, 0, "", "is a directory, not a manifest file"));
      }
      byte[] bytes = Files.readAllBytes(file);
      String text;
      try {
        text =
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        return List.of(new Problem(name, 0, "", "not a text file (invalid UTF-8)"));
      }
      return validate(name, text);
    } catch (NoSuchFileException e) {
      return List.of(new Problem(name, 0, "", "no such file"));
    } catch (IOException e) {
      return List.of(new Problem(name, 0, "", "cannot read: " + e.getMessage()));
    }
  }

  /** Validates manifest text; {@code name} is how problems refer to it. */
  public List<Problem> validate(String name, String text) {
    List<Problem> problems = new ArrayList<>();
    List<Chunk> documents = split(text);
    int objects = 0;
    for (int i = 0; i < documents.size(); i++) {
      Chunk chunk = documents.get(i);
      int index = i + 1;
      JsonNode root;
      try {
        root = yaml.readTree(chunk.text());
      } catch (JsonProcessingException e) {
        int line =
            e.getLocation() == null
                ? chunk.firstLine()
                : chunk.firstLine() + e.getLocation().getLineNr() - 1;
        problems.add(
            new Problem(
                name, index, "", "cannot parse YAML at line " + line + ": " + firstLine(e)));
        objects++;
        continue;
      }
      if (root == null || root.isMissingNode() || root.isNull()) {
        continue; // an empty document, skipped as kubectl does
      }
      objects++;
      validateObject(root, "")
          .forEach(p -> problems.add(new Problem(name, index, p.path(), p.message())));
    }
    if (objects == 0) {
      problems.add(
          new Problem(
              name,
              0,
              "",
              "no objects found: the file is empty (kubectl apply would refuse it too)"));
    }
    return problems;
  }

  private List<SchemaValidator.FieldProblem> validateObject(JsonNode root, String prefix) {
    List<SchemaValidator.FieldProblem> problems = new ArrayList<>();
    if (!(root instanceof ObjectNode object)) {
      problems.add(
          new SchemaValidator.FieldProblem(
              prefix,
              "not a Kubernetes object: expected a mapping with apiVersion and kind, got "
                  + (root.isArray() ? "a list" : "a scalar (" + abbreviate(root.asText()) + ")")));
      return problems;
    }
    JsonNode apiVersion = object.get("apiVersion");
    JsonNode kind = object.get("kind");
    if (apiVersion == null || !apiVersion.isTextual() || apiVersion.asText().isEmpty()) {
      problems.add(
          new SchemaValidator.FieldProblem(
              join(prefix, "apiVersion"),
              apiVersion == null ? "required field is missing" : "must be a non-empty string"));
    }
    if (kind == null || !kind.isTextual() || kind.asText().isEmpty()) {
      problems.add(
          new SchemaValidator.FieldProblem(
              join(prefix, "kind"),
              kind == null ? "required field is missing" : "must be a non-empty string"));
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    if (kind.asText().equals("List") && apiVersion.asText().equals("v1")) {
      JsonNode items = object.path("items");
      for (int i = 0; i < items.size(); i++) {
        problems.addAll(validateObject(items.get(i), join(prefix, "items") + "[" + i + "]"));
      }
      return problems;
    }
    Optional<CrdCatalog.Entry> entry = catalog.find(apiVersion.asText(), kind.asText());
    if (entry.isEmpty()) {
      problems.add(
          new SchemaValidator.FieldProblem(
              join(prefix, "kind"), unknownKind(apiVersion.asText(), kind.asText())));
      return problems;
    }
    checkMetadata(object.get("metadata"), join(prefix, "metadata"), problems);
    CrdCatalog.Entry e = entry.get();
    if (e.schema() != null) {
      JsonNode specSchema = e.schema().path("properties").path("spec");
      if (!object.has("spec") && !specSchema.path("required").isEmpty()) {
        problems.add(
            new SchemaValidator.FieldProblem(join(prefix, "spec"), "required field is missing"));
      }
      List<SchemaValidator.FieldProblem> schemaProblems =
          SchemaValidator.validate(e.schema(), object, cel);
      for (SchemaValidator.FieldProblem p : schemaProblems) {
        problems.add(new SchemaValidator.FieldProblem(join(prefix, p.path()), p.message()));
      }
      if (schemaProblems.isEmpty() && isNodePool(e)) {
        runtimeChecks(object, prefix, problems);
      }
    } else {
      bindStrictly(object, e.modelWithoutCrd(), prefix, problems);
    }
    return problems;
  }

  private static boolean isNodePool(CrdCatalog.Entry e) {
    return e.apiVersion().equals(Karpenter.API_VERSION) && e.kind().equals("NodePool");
  }

  /** Upstream's run-time NodePool checks (ValidationSucceeded), on a schema-valid object. */
  private static void runtimeChecks(
      ObjectNode object, String prefix, List<SchemaValidator.FieldProblem> problems) {
    NodePool pool;
    try {
      // apiVersion/kind are fixed by the class; binding them only makes fabric8 log about it
      ObjectNode body = object.deepCopy();
      body.remove(List.of("apiVersion", "kind"));
      pool = Serialization.jsonMapper().treeToValue(body, NodePool.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return; // the schema accepted it; binding quirks are not the user's problem
    }
    for (RuntimeValidation.Violation v : RuntimeValidation.validate(pool)) {
      problems.add(
          new SchemaValidator.FieldProblem(
              join(prefix, v.path()), v.message() + " (the NodePool would not become Ready)"));
    }
  }

  private String unknownKind(String apiVersion, String kind) {
    List<CrdCatalog.Entry> sameKind = catalog.byKind(kind);
    if (!sameKind.isEmpty()) {
      return kind
          + " is not served as "
          + apiVersion
          + "; use apiVersion "
          + sameKind.stream().map(CrdCatalog.Entry::apiVersion).collect(Collectors.joining(" or "));
    }
    return "unknown kind \""
        + kind
        + "\" ("
        + apiVersion
        + "): known kinds are "
        + catalog.describeKnown()
        + "; a NodeClass is known only when its provider plugin is installed";
  }

  private static void checkMetadata(
      JsonNode metadata, String path, List<SchemaValidator.FieldProblem> problems) {
    if (metadata == null) {
      problems.add(
          new SchemaValidator.FieldProblem(join(path, "name"), "required field is missing"));
      return;
    }
    if (!metadata.isObject()) {
      problems.add(new SchemaValidator.FieldProblem(path, "must be an object"));
      return;
    }
    for (Iterator<String> it = metadata.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!OBJECT_META_FIELDS.contains(field)) {
        problems.add(
            new SchemaValidator.FieldProblem(join(path, field), "unknown field \"" + field + "\""));
      }
    }
    JsonNode name = metadata.get("name");
    if (name == null && !metadata.has("generateName")) {
      problems.add(
          new SchemaValidator.FieldProblem(join(path, "name"), "required field is missing"));
    } else if (name != null
        && (!name.isTextual()
            || name.asText().length() > 253
            || !DNS_SUBDOMAIN.matcher(name.asText()).matches())) {
      problems.add(
          new SchemaValidator.FieldProblem(
              join(path, "name"),
              "invalid name "
                  + name
                  + ": must be lower case alphanumeric characters, '-' or '.', start and end with"
                  + " an alphanumeric character, at most 253 characters"));
    }
    for (String map : List.of("labels", "annotations")) {
      JsonNode m = metadata.get(map);
      if (m == null) {
        continue;
      }
      if (!m.isObject()) {
        problems.add(new SchemaValidator.FieldProblem(join(path, map), "must be a map of strings"));
        continue;
      }
      m.fields()
          .forEachRemaining(
              f -> {
                if (!f.getValue().isTextual()) {
                  problems.add(
                      new SchemaValidator.FieldProblem(
                          join(path, map) + "[" + f.getKey() + "]",
                          "must be a string, got " + f.getValue() + " (quote it)"));
                }
              });
    }
  }

  private void bindStrictly(
      ObjectNode object,
      Class<?> type,
      String prefix,
      List<SchemaValidator.FieldProblem> problems) {
    ObjectMapper strict =
        Serialization.jsonMapper().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try {
      strict.treeToValue(object, type);
    } catch (JsonMappingException e) {
      StringBuilder path = new StringBuilder(prefix);
      for (JsonMappingException.Reference ref : e.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      problems.add(new SchemaValidator.FieldProblem(path.toString(), firstLine(e)));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      problems.add(new SchemaValidator.FieldProblem(prefix, firstLine(e)));
    }
  }

  /** A YAML document's text and the line it starts on in the file. */
  private record Chunk(String text, int firstLine) {}

  /**
   * Splits at {@code ---} lines ourselves, so documents keep their index and line numbers. Text
   * before the first separator that holds only comments does not count as a document.
   */
  private static List<Chunk> split(String text) {
    List<Chunk> chunks = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    StringBuilder current = new StringBuilder();
    int start = 1;
    for (int i = 0; i < lines.length; i++) {
      if (DOCUMENT_SEPARATOR.matcher(lines[i]).matches()) {
        if (!chunks.isEmpty() || !onlyComments(current)) {
          chunks.add(new Chunk(current.toString(), start));
        }
        current.setLength(0);
        start = i + 2;
        continue;
      }
      current.append(lines[i]).append('\n');
    }
    chunks.add(new Chunk(current.toString(), start));
    return chunks;
  }

  private static boolean onlyComments(CharSequence text) {
    return text.toString().lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"));
  }

  private static String firstLine(Exception e) {
    String message =
        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\s+", " ").trim();
    return oneLine.length() > 40 ? oneLine.substring(0, 40) + "..." : oneLine;
  }

  private static String join(String path, String name) {
    if (path.isEmpty()) {
      return name;
    }
    return name.isEmpty() ? path : path + "." + name;
  }
}
