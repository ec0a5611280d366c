// Just over 500 lines: the routing of every verb of the embedded API server (get, list, table,
// create, update, patch, delete) over one store; the object rules, patches, selectors, printing and
// watches already live in their own classes.
package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Serves one request: discovery, get/list/create/update/patch/delete on a resource, its status
 * subresource, pods' eviction, and CRD registration. Transport-independent (watches are opened by
 * {@link #watch}).
 */
final class ApiHandler {
  private final ResourceTypes types;
  private final Store store;
  private final ObjectRules rules = new ObjectRules();
  private final CrdSchemas schemas;
  private final Discovery discovery;
  private final OpenApi openApi;
  private final DisruptionBudgets budgets;
  private final Faults faults;
  private final String address;

  ApiHandler(
      ResourceTypes types,
      Store store,
      CrdSchemas schemas,
      DisruptionBudgets budgets,
      Faults faults,
      String address) {
    this.types = types;
    this.store = store;
    this.schemas = schemas;
    this.discovery = new Discovery(types);
    this.openApi = new OpenApi(types);
    this.budgets = budgets;
    this.faults = faults;
    this.address = address;
  }

  ApiResponse handle(ApiRequest req) {
    try {
      return route(req);
    } catch (ApiException e) {
      return ApiResponse.status(e.code(), e.reason(), e.getMessage());
    } catch (IOException | RuntimeException e) {
      return ApiResponse.status(
          e instanceof com.fasterxml.jackson.core.JsonProcessingException ? 400 : 500,
          e instanceof com.fasterxml.jackson.core.JsonProcessingException
              ? "BadRequest"
              : "InternalError",
          String.valueOf(e.getMessage()));
    }
  }

  private ApiResponse route(ApiRequest req) throws IOException {
    String path = req.path();
    switch (path) {
      case "/version", "/version/":
        return ApiResponse.json(200, Discovery.version());
      case "/api", "/api/":
        return ApiResponse.json(200, Discovery.apiVersions(address));
      case "/apis", "/apis/":
        return ApiResponse.json(200, discovery.groups());
      case "/healthz", "/livez", "/readyz":
        return new ApiResponse(200, "ok".getBytes(StandardCharsets.UTF_8), java.util.Map.of());
      default:
        break;
    }
    if (path.startsWith("/openapi/")) {
      return openApi(path);
    }
    if (path.equals("/api/v1") || path.equals("/api/v1/")) {
      return ApiResponse.json(200, discovery.resources("", "v1"));
    }
    String[] parts = path.replaceAll("/+$", "").split("/");
    if (parts.length == 3 && parts[1].equals("apis")) {
      List<String> versions = discovery.versionsOf(parts[2]);
      if (versions.isEmpty()) {
        throw new ApiException(404, "NotFound", "the server could not find the requested resource");
      }
      return ApiResponse.json(200, discovery.group(parts[2], versions));
    }
    if (parts.length == 4 && parts[1].equals("apis")) {
      if (!discovery.versionsOf(parts[2]).contains(parts[3])) {
        throw new ApiException(404, "NotFound", "the server could not find the requested resource");
      }
      return ApiResponse.json(200, discovery.resources(parts[2], parts[3]));
    }
    Target target = Target.parse(path, types);
    if (target == null) {
      throw new ApiException(404, "NotFound", "the server could not find the requested resource");
    }
    String verb = verb(req, target);
    Optional<Integer> fault = faults.errorFor(verb, target.type().plural());
    if (fault.isPresent()) {
      int code = fault.get();
      return ApiResponse.status(
          code,
          code == 409 ? "Conflict" : code == 429 ? "TooManyRequests" : "InternalError",
          "injected fault: " + verb + " " + target.type().plural());
    }
    return switch (verb) {
      case "get" -> req.wantsTable() ? table(target, req) : get(target);
      case "list" -> req.wantsTable() ? table(target, req) : list(target, req);
      case "create" -> create(target, req);
      case "update" -> update(target, req);
      case "patch" -> patch(target, req);
      case "delete" -> delete(target, req);
      case "deletecollection" -> deleteCollection(target, req);
      default ->
          throw new ApiException(405, "MethodNotAllowed", req.method() + " is not supported here");
    };
  }

  /** {@code /openapi/v3} and its group-version documents; no v2 (kubectl reads v3 first). */
  private ApiResponse openApi(String path) {
    String p = path.replaceAll("/+$", "");
    if (p.equals("/openapi/v3")) {
      return ApiResponse.json(200, openApi.discovery());
    }
    String[] parts = p.split("/");
    ObjectNode doc = null;
    if (parts.length == 5 && parts[3].equals("api")) {
      doc = openApi.document("", parts[4]);
    } else if (parts.length == 6 && parts[3].equals("apis")) {
      doc = openApi.document(parts[4], parts[5]);
    }
    if (doc == null) {
      throw new ApiException(404, "NotFound", "the server could not find the requested resource");
    }
    return ApiResponse.json(200, doc);
  }

  static String verb(ApiRequest req, Target t) {
    return switch (req.method()) {
      case "GET" -> t.name() == null ? (req.isWatch() ? "watch" : "list") : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> t.name() == null ? "deletecollection" : "delete";
      default -> "unknown";
    };
  }

  /**
   * kubectl's {@code get}: a {@code meta.k8s.io/v1} Table with the CRD's additionalPrinterColumns
   * (NodePools, NodeClaims: upstream's columns) or the built-in columns for nodes and pods.
   */
  private ApiResponse table(Target t, ApiRequest req) throws IOException {
    List<StoredObject> objects;
    if (t.name() != null) {
      StoredObject o = store.get(t.type(), t.namespace(), t.name());
      if (o == null) {
        throw ApiException.notFound(t.type(), t.name());
      }
      objects = List.of(o);
    } else {
      objects =
          store
              .list(
                  t.type(),
                  t.namespace(),
                  LabelSelector.parse(req.param("labelSelector")),
                  FieldSelector.parse(req.param("fieldSelector")),
                  0,
                  null)
              .items();
    }
    ResourceType crds = types.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").get();
    StoredObject crd =
        t.type().group().isEmpty()
            ? null
            : store.get(crds, null, t.type().plural() + "." + t.type().group());
    return ApiResponse.json(
        200,
        TablePrinter.table(
            t.type(), crd == null ? null : crd.tree(), objects, java.time.Instant.now()));
  }

  private ApiResponse get(Target t) {
    StoredObject o = store.get(t.type(), t.namespace(), t.name());
    if (o == null) {
      throw ApiException.notFound(t.type(), t.name());
    }
    return ApiResponse.json(200, o.json());
  }

  private ApiResponse list(Target t, ApiRequest req) throws IOException {
    int limit = req.param("limit") == null ? 0 : Integer.parseInt(req.param("limit"));
    String after = null;
    if (req.param("continue") != null && !req.param("continue").isEmpty()) {
      after =
          new String(Base64.getUrlDecoder().decode(req.param("continue")), StandardCharsets.UTF_8);
    }
    Store.Page page =
        store.list(
            t.type(),
            t.namespace(),
            LabelSelector.parse(req.param("labelSelector")),
            FieldSelector.parse(req.param("fieldSelector")),
            limit,
            after);
    return ApiResponse.parts(200, listParts(t.type(), page));
  }

  private static final byte[] COMMA = {','};
  private static final byte[] END = {']', '}'};

  /** The list document, assembled from each object's stored bytes into one array. */
  static byte[] listBody(ResourceType type, Store.Page page) {
    return ApiResponse.parts(200, listParts(type, page)).body();
  }

  /** The list document as parts: its head, each object's stored bytes (not copied), its end. */
  static List<byte[]> listParts(ResourceType type, Store.Page page) {
    StringBuilder head = new StringBuilder();
    head.append("{\"kind\":\"")
        .append(type.listKind())
        .append("\",\"apiVersion\":\"")
        .append(type.apiVersion())
        .append("\",\"metadata\":{\"resourceVersion\":\"")
        .append(page.resourceVersion())
        .append('"');
    if (page.nextKey() != null) {
      head.append(",\"continue\":\"")
          .append(
              Base64.getUrlEncoder()
                  .encodeToString(page.nextKey().getBytes(StandardCharsets.UTF_8)))
          .append('"');
    }
    head.append("},\"items\":[");
    List<byte[]> parts = new java.util.ArrayList<>(page.items().size() * 2 + 2);
    parts.add(head.toString().getBytes(StandardCharsets.UTF_8));
    boolean first = true;
    for (StoredObject o : page.items()) {
      if (!first) {
        parts.add(COMMA);
      }
      first = false;
      parts.add(o.json());
    }
    parts.add(END);
    return parts;
  }

  private ObjectNode body(ApiRequest req) throws IOException {
    JsonNode node = parse(req);
    if (!(node instanceof ObjectNode o)) {
      throw ApiException.badRequest("the request body is not a JSON object");
    }
    return o;
  }

  private static JsonNode parse(ApiRequest req) throws IOException {
    if (req.body() == null || req.body().length == 0) {
      throw ApiException.badRequest("the request has no body");
    }
    String ct = req.contentType() == null ? "" : req.contentType();
    return ct.contains("yaml") ? Json.YAML.readTree(req.body()) : Json.MAPPER.readTree(req.body());
  }

  private ApiResponse create(Target t, ApiRequest req) throws IOException {
    if (t.name() != null) {
      if ("eviction".equals(t.subresource()) && t.type().plural().equals("pods")) {
        budgets.evict(t.namespace(), t.name());
        return ApiResponse.status(201, "", "");
      }
      if ("binding".equals(t.subresource()) && t.type().plural().equals("pods")) {
        return bind(t.namespace(), t.name(), body(req));
      }
      throw new ApiException(405, "MethodNotAllowed", "POST is not supported on a named object");
    }
    if (t.type().plural().equals("bindings") && t.type().group().isEmpty()) {
      ObjectNode binding = body(req);
      return bind(t.namespace(), binding.path("metadata").path("name").asText(), binding);
    }
    WriteOptions options = WriteOptions.of(req);
    ObjectNode object = rules.prepareCreate(t.type(), body(req), t.namespace());
    List<String> unknown = schemas.admit(t.type(), object, options.fieldValidation());
    StoredObject stored = store.create(t.type(), object, options.dryRun());
    if (t.type().kind().equals("CustomResourceDefinition") && !options.dryRun()) {
      registerCrd(stored);
    }
    return warned(ApiResponse.json(201, stored.json()), unknown, options);
  }

  /**
   * A Binding (kube-scheduler's way to assign a pod): sets {@code spec.nodeName} once, and the
   * PodScheduled condition; 409 if the pod is already assigned.
   */
  private ApiResponse bind(String namespace, String podName, ObjectNode binding) {
    String node = binding.path("target").path("name").asText("");
    if (node.isEmpty()) {
      throw ApiException.invalid(
          "Binding \"" + podName + "\" is invalid: target.name: Required value");
    }
    ResourceType pods = types.find("", "v1", "pods").orElseThrow();
    store.update(
        pods,
        namespace,
        podName,
        current -> {
          if (current.nodeName() != null) {
            throw ApiException.conflict(
                pods,
                podName,
                "pod " + podName + " is already assigned to node \"" + current.nodeName() + "\"");
          }
          ObjectNode pod = current.tree();
          pod.with("spec").put("nodeName", node);
          var conditions = pod.with("status").withArray("conditions");
          for (int i = conditions.size() - 1; i >= 0; i--) {
            if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
              conditions.remove(i);
            }
          }
          ObjectNode scheduled = conditions.addObject();
          scheduled.put("type", "PodScheduled");
          scheduled.put("status", "True");
          scheduled.put("lastTransitionTime", Timestamps.now());
          return pod;
        });
    return ApiResponse.status(201, "", "");
  }

  /** Serves the kinds a stored CRD defines, and marks it Established as the API server does. */
  void registerCrd(StoredObject crd) {
    ObjectNode tree = crd.tree();
    types.register(tree);
    schemas.register(tree);
    store.update(
        crd.type(),
        null,
        crd.name(),
        current -> {
          ObjectNode next = current.tree();
          ObjectNode status = next.with("status");
          status.set("acceptedNames", next.path("spec").path("names").deepCopy());
          var conditions = status.putArray("conditions");
          for (String type : List.of("NamesAccepted", "Established")) {
            ObjectNode c = conditions.addObject();
            c.put("type", type);
            c.put("status", "True");
            c.put("reason", type.equals("Established") ? "InitialNamesAccepted" : "NoConflicts");
            c.put("lastTransitionTime", Timestamps.now());
            c.put("message", "");
          }
          return next;
        });
  }

  private ApiResponse update(Target t, ApiRequest req) throws IOException {
    WriteOptions options = WriteOptions.of(req);
    ObjectNode body = body(req);
    boolean statusEndpoint = isStatus(t);
    List<String> unknown = new java.util.concurrent.CopyOnWriteArrayList<>();
    StoredObject stored =
        store.update(
            t.type(),
            t.namespace(),
            t.name(),
            current -> {
              ObjectNode old = current.tree();
              ObjectNode next =
                  rules.prepareUpdate(t.type(), current, old, body.deepCopy(), statusEndpoint);
              keepManagedFields(t.type(), old, next, req.fieldManager(), statusEndpoint);
              unknown.clear();
              unknown.addAll(schemas.admit(t.type(), next, options.fieldValidation()));
              return next;
            },
            options.dryRun());
    return warned(ApiResponse.json(200, stored.json()), unknown, options);
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

  private static boolean isStatus(Target t) {
    if (t.subresource() == null) {
      return false;
    }
    if (t.subresource().equals("status") || t.subresource().equals("finalize")) {
      return true;
    }
    throw new ApiException(404, "NotFound", "unknown subresource " + t.subresource());
  }

  private ApiResponse patch(Target t, ApiRequest req) throws IOException {
    JsonNode patch = parse(req);
    boolean statusEndpoint = isStatus(t);
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
      ObjectNode object = Json.object();
      object.putObject("metadata");
      ObjectNode config = appliedConfig((ObjectNode) patch);
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
    List<String> unknown = new java.util.concurrent.CopyOnWriteArrayList<>();
    StoredObject stored =
        store.update(
            t.type(),
            t.namespace(),
            t.name(),
            current -> {
              ObjectNode old = current.tree();
              ObjectNode target = old.deepCopy();
              ObjectNode next;
              if (apply) {
                ObjectNode config = appliedConfig((ObjectNode) patch);
                ArrayNode managed =
                    FieldOwnership.apply(
                        t.type(), target, config, req.fieldManager(), force, statusEndpoint);
                // the applied resourceVersion, if any, is a precondition (as on a real server)
                String rv = config.path("metadata").path("resourceVersion").asText("");
                target.with("metadata").put("resourceVersion", rv);
                next = rules.prepareUpdate(t.type(), current, old, target, statusEndpoint);
                next.with("metadata").set("managedFields", managed);
              } else {
                ObjectNode patched = Patches.apply(ct, target, patch.deepCopy(), builtIn);
                next = rules.prepareUpdate(t.type(), current, old, patched, statusEndpoint);
                keepManagedFields(t.type(), old, next, req.fieldManager(), statusEndpoint);
              }
              unknown.clear();
              unknown.addAll(schemas.admit(t.type(), next, options.fieldValidation()));
              return next;
            },
            options.dryRun());
    return warned(ApiResponse.json(200, stored.json()), unknown, options);
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

  private ApiResponse delete(Target t, ApiRequest req) throws IOException {
    String rv = null;
    String uid = null;
    String propagation = req.param("propagationPolicy");
    if (req.body() != null && req.body().length > 0) {
      JsonNode options = Json.MAPPER.readTree(req.body());
      rv = textOrNull(options.path("preconditions").path("resourceVersion"));
      uid = textOrNull(options.path("preconditions").path("uid"));
      if (options.hasNonNull("propagationPolicy")) {
        propagation = options.get("propagationPolicy").asText();
      }
    }
    boolean dryRun = WriteOptions.of(req).dryRun();
    if (req.body() != null && req.body().length > 0) {
      JsonNode dry = Json.MAPPER.readTree(req.body()).path("dryRun");
      dryRun |= dry.isArray() && dry.toString().contains("\"All\"");
    }
    StoredObject before = store.get(t.type(), t.namespace(), t.name());
    if ("Orphan".equals(propagation) && before != null && !dryRun) {
      orphanDependents(before);
    }
    StoredObject deleted = store.delete(t.type(), t.namespace(), t.name(), rv, uid, dryRun);
    return ApiResponse.json(200, deleted.json());
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

  private ApiResponse deleteCollection(Target t, ApiRequest req) throws IOException {
    Store.Page page =
        store.list(
            t.type(),
            t.namespace(),
            LabelSelector.parse(req.param("labelSelector")),
            FieldSelector.parse(req.param("fieldSelector")),
            0,
            null);
    List<StoredObject> deleted = new java.util.ArrayList<>();
    for (StoredObject o : page.items()) {
      try {
        deleted.add(store.delete(t.type(), o.namespace(), o.name(), null, null));
      } catch (ApiException gone) {
        // deleted meanwhile
      }
    }
    return ApiResponse.json(
        200, listBody(t.type(), new Store.Page(deleted, store.resourceVersion(), null)));
  }

  private static String textOrNull(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }

  /** Opens a watch for a GET with {@code watch=true}; events go to {@code sink}. */
  Watcher watch(ApiRequest req, WatchSink sink) {
    Target t = Target.parse(req.path(), types);
    if (t == null) {
      throw new ApiException(404, "NotFound", "the server could not find the requested resource");
    }
    Optional<Integer> fault = faults.errorFor("watch", t.type().plural());
    if (fault.isPresent()) {
      throw new ApiException(fault.get(), "InternalError", "injected fault: watch");
    }
    LabelSelector labels = LabelSelector.parse(req.param("labelSelector"));
    FieldSelector fields = FieldSelector.parse(req.param("fieldSelector"));
    if (t.name() != null) {
      fields =
          new FieldSelector(
              concat(fields.terms(), new FieldSelector.Term("metadata.name", true, t.name())));
    }
    String rv = req.param("resourceVersion");
    Long from = rv == null || rv.isEmpty() || rv.equals("0") ? null : Long.parseLong(rv);
    Watcher w =
        new Watcher(
            t.type(),
            t.namespace(),
            labels,
            fields,
            sink,
            "true".equals(req.param("allowWatchBookmarks")),
            from == null ? store.resourceVersion() : from);
    sink.onClose(() -> store.unwatch(w));
    store.watch(w, from, labels, fields);
    return w;
  }

  private static List<FieldSelector.Term> concat(List<FieldSelector.Term> a, FieldSelector.Term b) {
    List<FieldSelector.Term> out = new java.util.ArrayList<>(a);
    out.add(b);
    return out;
  }
}
