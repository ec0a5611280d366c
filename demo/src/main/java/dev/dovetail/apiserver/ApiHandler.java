package dev.dovetail.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves one request, transport-independent: discovery and OpenAPI here, then the resource's verb
 * to {@link Reads} or {@link Writes} (after the injected faults); watches are opened by {@link
 * #watch}.
 */
final class ApiHandler {
  private final ResourceTypes types;
  private final Discovery discovery;
  private final OpenApi openApi;
  private final Faults faults;
  private final Reads reads;
  private final Writes writes;
  private final String address;

  ApiHandler(
      ResourceTypes types,
      Store store,
      CrdSchemas schemas,
      DisruptionBudgets budgets,
      Faults faults,
      String address) {
    this.types = types;
    this.discovery = new Discovery(types);
    this.openApi = new OpenApi(types);
    this.faults = faults;
    this.reads = new Reads(types, store, faults);
    this.writes =
        new Writes(types, store, schemas, new Subresources(types, store, schemas, budgets));
    this.address = address;
  }

  ApiResponse handle(ApiRequest req) {
    try {
      return route(req);
    } catch (ApiException e) {
      return ApiResponse.status(e.code(), e.reason(), e.getMessage());
    } catch (JsonProcessingException e) {
      return ApiResponse.status(400, "BadRequest", String.valueOf(e.getMessage()));
    } catch (IOException | RuntimeException e) {
      return ApiResponse.status(500, "InternalError", String.valueOf(e.getMessage()));
    }
  }

  /** Opens a watch for a GET with {@code watch=true}; events go to {@code sink}. */
  Watcher watch(ApiRequest req, WatchSink sink) {
    return reads.watch(req, sink);
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
        return new ApiResponse(200, "ok".getBytes(StandardCharsets.UTF_8), Map.of());
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
        throw notFound();
      }
      return ApiResponse.json(200, discovery.group(parts[2], versions));
    }
    if (parts.length == 4 && parts[1].equals("apis")) {
      if (!discovery.versionsOf(parts[2]).contains(parts[3])) {
        throw notFound();
      }
      return ApiResponse.json(200, discovery.resources(parts[2], parts[3]));
    }
    Target target = Target.parse(path, types);
    if (target == null) {
      throw notFound();
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
      case "get" -> req.wantsTable() ? reads.table(target, req) : reads.get(target);
      case "list" -> req.wantsTable() ? reads.table(target, req) : reads.list(target, req);
      case "create" -> writes.create(target, req);
      case "update" -> writes.update(target, req);
      case "patch" -> writes.patch(target, req);
      case "delete" -> writes.delete(target, req);
      case "deletecollection" -> writes.deleteCollection(target, req);
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
      throw notFound();
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

  private static ApiException notFound() {
    return new ApiException(404, "NotFound", "the server could not find the requested resource");
  }
}
