package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The write verbs: create, update, patch (JSON, merge, strategic merge, server-side apply), delete
 * and deletecollection, with dry runs, field validation and managedFields. Pods' POST subresources
 * and CRD registration are {@link Subresources}'.
 */
final class Writes {
  private final ResourceTypes types;
  private final Store store;
  private final CrdSchemas schemas;
  private final Subresources subresources;
  private final ObjectRules rules = new ObjectRules();

  Writes(ResourceTypes types, Store store, CrdSchemas schemas, Subresources subresources) {
    this.types = types;
    this.store = store;
    this.schemas = schemas;
    this.subresources = subresources;
  }

  ApiResponse create(Target t, ApiRequest req) throws IOException {
    if (t.name() != null) {
      return subresources.post(t, req);
    }
    if (t.type().plural().equals("bindings") && t.type().group().isEmpty()) {
      ObjectNode binding = req.bodyObject();
      return subresources.bind(
          t.namespace(), binding.path("metadata").path("name").asText(), binding);
    }
    WriteOptions options = WriteOptions.of(req);
    ObjectNode object = rules.prepareCreate(t.type(), req.bodyObject(), t.namespace());
    List<String> unknown = schemas.admit(t.type(), object, options.fieldValidation());
    StoredObject stored = store.create(t.type(), object, options.dryRun());
    if (t.type().kind().equals("CustomResourceDefinition") && !options.dryRun()) {
      subresources.registerCrd(stored);
    }
    return warned(ApiResponse.json(201, stored.json()), unknown, options);
  }

  ApiResponse update(Target t, ApiRequest req) throws IOException {
    WriteOptions options = WriteOptions.of(req);
    ObjectNode body = req.bodyObject();
    boolean statusEndpoint = Subresources.isStatus(t);
    return admittedUpdate(
        t,
        options,
        current -> {
          ObjectNode old = current.tree();
          ObjectNode next =
              rules.prepareUpdate(t.type(), current, old, body.deepCopy(), statusEndpoint);
          keepManagedFields(t.type(), old, next, req.fieldManager(), statusEndpoint);
          return next;
        });
  }

  /**
   * Stores what {@code change} makes of the current object once the schema admits it; the unknown
   * fields of the attempt that was stored (a conflicting write retries {@code change}) are warned.
   */
  private ApiResponse admittedUpdate(
      Target t, WriteOptions options, Function<StoredObject, ObjectNode> change) {
    List<String> unknown = new CopyOnWriteArrayList<>();
    StoredObject stored =
        store.update(
            t.type(),
            t.namespace(),
            t.name(),
            current -> {
              ObjectNode next = change.apply(current);
              unknown.clear();
              unknown.addAll(schemas.admit(t.type(), next, options.fieldValidation()));
              return next;
            },
            options.dryRun());
    return warned(ApiResponse.json(200, stored.json()), unknown, options);
  }

  ApiResponse patch(Target t, ApiRequest req) throws IOException {
    JsonNode patch = req.bodyTree();
    boolean statusEndpoint = Subresources.isStatus(t);
    boolean builtIn = ResourceTypes.isBuiltIn(t.type());
    String ct = req.contentType();
    WriteOptions options = WriteOptions.of(req);
    boolean apply = ct != null && ct.startsWith("application/apply-patch");
    if (apply) {
      if (!(patch instanceof ObjectNode)) {
        throw ApiException.badRequest("an applied configuration must be an object");
      }
      if (req.param("fieldManager") == null || req.param("fieldManager").isEmpty()) {
        throw ApiException.badRequest(
            "PATCH " + req.path() + ": fieldManager is required for apply requests");
      }
    }
    boolean force = "true".equals(req.param("force"));
    if (apply && store.get(t.type(), t.namespace(), t.name()) == null && !statusEndpoint) {
      return applyCreate(t, req, (ObjectNode) patch, force, options);
    }
    return admittedUpdate(
        t,
        options,
        current -> {
          ObjectNode old = current.tree();
          ObjectNode target = old.deepCopy();
          if (apply) {
            ObjectNode config = appliedConfig((ObjectNode) patch);
            ArrayNode managed =
                FieldOwnership.apply(
                    t.type(), target, config, req.fieldManager(), force, statusEndpoint);
            // the applied resourceVersion, if any, is a precondition (as on a real server)
            String rv = config.path("metadata").path("resourceVersion").asText("");
            target.with("metadata").put("resourceVersion", rv);
            ObjectNode next = rules.prepareUpdate(t.type(), current, old, target, statusEndpoint);
            next.with("metadata").set("managedFields", managed);
            return next;
          }
          ObjectNode patched = Patches.apply(ct, target, patch.deepCopy(), builtIn);
          ObjectNode next = rules.prepareUpdate(t.type(), current, old, patched, statusEndpoint);
          keepManagedFields(t.type(), old, next, req.fieldManager(), statusEndpoint);
          return next;
        });
  }

  /** Server-side apply of an object that does not exist yet: the applier owns all it set. */
  private ApiResponse applyCreate(
      Target t, ApiRequest req, ObjectNode patch, boolean force, WriteOptions options) {
    ObjectNode object = Json.object();
    object.putObject("metadata");
    ObjectNode config = appliedConfig(patch);
    ArrayNode managed =
        FieldOwnership.apply(t.type(), object, config, req.fieldManager(), force, false);
    object.with("metadata").put("name", t.name());
    object = rules.prepareCreate(t.type(), object, t.namespace());
    object.with("metadata").set("managedFields", managed);
    List<String> unknown = schemas.admit(t.type(), object, options.fieldValidation());
    return warned(
        ApiResponse.json(201, store.create(t.type(), object, options.dryRun()).json()),
        unknown,
        options);
  }

  ApiResponse delete(Target t, ApiRequest req) throws IOException {
    String rv = null;
    String uid = null;
    String propagation = req.param("propagationPolicy");
    boolean dryRun = WriteOptions.of(req).dryRun();
    if (req.body() != null && req.body().length > 0) {
      JsonNode options = Json.MAPPER.readTree(req.body());
      rv = textOrNull(options.path("preconditions").path("resourceVersion"));
      uid = textOrNull(options.path("preconditions").path("uid"));
      if (options.hasNonNull("propagationPolicy")) {
        propagation = options.get("propagationPolicy").asText();
      }
      JsonNode dry = options.path("dryRun");
      dryRun |= dry.isArray() && dry.toString().contains("\"All\"");
    }
    StoredObject before = store.get(t.type(), t.namespace(), t.name());
    if ("Orphan".equals(propagation) && before != null && !dryRun) {
      orphanDependents(before);
    }
    StoredObject deleted = store.delete(t.type(), t.namespace(), t.name(), rv, uid, dryRun);
    return ApiResponse.json(200, deleted.json());
  }

  ApiResponse deleteCollection(Target t, ApiRequest req) {
    Store.Page page =
        store.list(
            t.type(),
            t.namespace(),
            LabelSelector.parse(req.param("labelSelector")),
            FieldSelector.parse(req.param("fieldSelector")),
            0,
            null);
    List<StoredObject> deleted = new ArrayList<>();
    for (StoredObject o : page.items()) {
      try {
        deleted.add(store.delete(t.type(), o.namespace(), o.name(), null, null));
      } catch (ApiException gone) {
        // deleted meanwhile
      }
    }
    return ApiResponse.json(
        200, Reads.listBody(t.type(), new Store.Page(deleted, store.resourceVersion(), null)));
  }

  /** Orphan propagation: the dependents lose their owner reference instead of being deleted. */
  private void orphanDependents(StoredObject owner) {
    for (String ref : List.copyOf(store.dependents(owner.uid()))) {
      String typeKey = ref.substring(0, ref.indexOf('|'));
      String key = ref.substring(ref.indexOf('|') + 1);
      types.all().stream()
          .filter(x -> x.key().equals(typeKey))
          .findFirst()
          .ifPresent(
              type -> {
                String ns = type.namespaced() ? key.substring(0, key.indexOf('/')) : null;
                String name = type.namespaced() ? key.substring(key.indexOf('/') + 1) : key;
                store.update(
                    type,
                    ns,
                    name,
                    current -> {
                      ObjectNode next = current.tree();
                      var refs = next.with("metadata").withArray("ownerReferences");
                      for (int i = refs.size() - 1; i >= 0; i--) {
                        if (owner.uid().equals(refs.get(i).path("uid").asText())) {
                          refs.remove(i);
                        }
                      }
                      return next;
                    });
              });
    }
  }

  /** {@code fieldValidation=Warn}: the unknown fields dropped, as {@code Warning} headers say. */
  private static ApiResponse warned(ApiResponse r, List<String> unknown, WriteOptions options) {
    if (unknown.isEmpty() || !"Warn".equals(options.fieldValidation())) {
      return r;
    }
    String warning =
        "299 - \"unknown field \\\"" + String.join("\\\", unknown field \\\"", unknown) + "\\\"\"";
    return new ApiResponse(r.code(), r.body(), java.util.Map.of("Warning", warning));
  }

  /** An apply patch without what the server owns (managedFields) and never-null metadata. */
  private static ObjectNode appliedConfig(ObjectNode patch) {
    ObjectNode config = patch.deepCopy();
    config.with("metadata").remove("managedFields");
    return config;
  }

  /**
   * A write that is not an apply keeps the object's managedFields (whatever the client sent back)
   * and takes ownership of what it changed ({@link FieldOwnership#update}).
   */
  private static void keepManagedFields(
      ResourceType type, ObjectNode old, ObjectNode next, String manager, boolean status) {
    ArrayNode managed = FieldOwnership.update(type, old, next, manager, status);
    if (managed == null || managed.isEmpty()) {
      next.with("metadata").remove("managedFields");
    } else {
      next.with("metadata").set("managedFields", managed);
    }
  }

  private static String textOrNull(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }
}
