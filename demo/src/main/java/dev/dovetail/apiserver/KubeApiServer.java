package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dovetail's embedded Kubernetes API server: in memory, indexed and built for load, serving the
 * real API's paths and semantics to fabric8 and kubectl over HTTP (watches over WebSocket or a
 * chunked stream). It stands in for a kube-apiserver, which cannot be installed on these machines,
 * in {@code dovetail demo}, end-to-end tests, chaos tests and benchmarks. It also plays the parts
 * of the kube-controller-manager the controllers rely on: background garbage collection and the
 * disruption controller (PodDisruptionBudget status, the Eviction API).
 *
 * <p>Not real: authentication and authorisation (everyone may do everything), admission webhooks,
 * managedFields on objects nobody applied (see {@link FieldOwnership}), protobuf, OpenAPI v2 and
 * the built-in kinds' OpenAPI schemas (v3 serves their paths with open schemas; CRDs keep theirs),
 * graceful pod termination (no kubelet: a pod without finalizers goes at once).
 */
public final class KubeApiServer implements AutoCloseable {
  /** Events kept per resource to resume watches; older resourceVersions get 410 Gone. */
  public static final int DEFAULT_HISTORY = 50_000;

  private static final org.slf4j.Logger REQUESTS =
      org.slf4j.LoggerFactory.getLogger("dev.dovetail.apiserver.requests");

  private final Vertx vertx;
  private final HttpServer http;
  private final ExecutorService workers;
  private final ScheduledExecutorService background;
  private final Thread collector;
  private final ResourceTypes types;
  private final Store store;
  private final Faults faults;
  private final ApiHandler handler;
  private final int port;

  private KubeApiServer(Builder b) {
    this.types = new ResourceTypes();
    this.store = new Store(b.history);
    this.faults = new Faults();
    CrdSchemas schemas = new CrdSchemas();
    DisruptionBudgets budgets = new DisruptionBudgets(store, types);
    GarbageCollector gc = new GarbageCollector(store, types);
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
    this.workers = Executors.newFixedThreadPool(b.threads, daemon("kube-api-worker"));
    this.background = Executors.newScheduledThreadPool(1, daemon("kube-api-controllers"));
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(b.port)
            .setMaxWebSocketFrameSize(64 * 1024 * 1024)
            .setMaxWebSocketMessageSize(64 * 1024 * 1024)
            .setCompressionSupported(false)
            .setTcpNoDelay(true);
    this.http = vertx.createHttpServer(options);
    // The address is known once bound; discovery reports it.
    AtomicInteger bound = new AtomicInteger();
    ApiHandler[] h = new ApiHandler[1];
    http.webSocketHandler(ws -> openWebSocketWatch(h[0], ws));
    http.requestHandler(req -> serve(h[0], req));
    try {
      HttpServer started =
          http.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      bound.set(started.actualPort());
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException(
          "cannot start the API server on port " + b.port + ": " + e, e);
    }
    this.port = bound.get();
    this.handler = new ApiHandler(types, store, schemas, budgets, faults, "127.0.0.1:" + port);
    h[0] = handler;
    for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      ObjectNode namespace = Json.object();
      namespace.with("metadata").put("name", ns);
      namespace.with("status").put("phase", "Active");
      create("", "v1", "namespaces", null, namespace);
    }
    for (JsonNode crd : CrdFiles.load(b.loader)) {
      registerCrd(crd);
    }
    background.scheduleWithFixedDelay(budgets::refresh, 200, 200, TimeUnit.MILLISECONDS);
    background.scheduleWithFixedDelay(store::bookmarkAll, 1, 1, TimeUnit.SECONDS);
    this.collector =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  gc.collectNext();
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  // one dependent failed; the next deletion retries the others
                }
              }
            },
            "kube-api-gc");
    collector.setDaemon(true);
    collector.start();
  }

  /** Starts a server on a free loopback port with the CRDs on this class's classpath. */
  public static KubeApiServer start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options: port, worker threads, watch history, where to find CRD YAML. */
  public static final class Builder {
    private int port;
    private int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
    private int history = DEFAULT_HISTORY;
    private ClassLoader loader = KubeApiServer.class.getClassLoader();

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder watchHistory(int eventsPerResource) {
      this.history = eventsPerResource;
      return this;
    }

    public Builder crdsFrom(ClassLoader loader) {
      this.loader = loader;
      return this;
    }

    public KubeApiServer start() {
      return new KubeApiServer(this);
    }
  }

  /**
   * Registers the CRDs in {@code META-INF/fabric8/*.yml} that {@code loader} sees (a plugin's class
   * loader, for its NodeClass), skipping those already known.
   */
  public void registerCrds(ClassLoader loader) {
    for (JsonNode crd : CrdFiles.load(loader)) {
      registerCrd(crd);
    }
  }

  /**
   * The CRDs in {@code META-INF/fabric8/*.yml} that {@code loader} sees, as JSON: for registering
   * them over HTTP on a server in another process ({@code bench provisioning --cluster-process}).
   */
  public static List<String> crdsIn(ClassLoader loader) {
    return CrdFiles.load(loader).stream().map(JsonNode::toString).toList();
  }

  /** Registers a custom resource without a schema (for a NodeClass model without CRD YAML). */
  public void registerCustomResource(
      String group, String version, String kind, String plural, boolean namespaced) {
    registerCrd(schemaLessCrd(group, version, kind, plural, namespaced));
  }

  /** The CRD {@link #registerCustomResource} registers, to send over HTTP instead. */
  public static ObjectNode schemaLessCrd(
      String group, String version, String kind, String plural, boolean namespaced) {
    ObjectNode crd = Json.object();
    crd.put("apiVersion", "apiextensions.k8s.io/v1");
    crd.put("kind", "CustomResourceDefinition");
    crd.with("metadata").put("name", plural + "." + group);
    ObjectNode spec = crd.with("spec");
    spec.put("group", group);
    spec.put("scope", namespaced ? "Namespaced" : "Cluster");
    ObjectNode names = spec.with("names");
    names.put("kind", kind);
    names.put("plural", plural);
    names.put("singular", kind.toLowerCase(java.util.Locale.ROOT));
    names.put("listKind", kind + "List");
    ObjectNode v = spec.withArray("versions").addObject();
    v.put("name", version);
    v.put("served", true);
    v.put("storage", true);
    v.with("subresources").putObject("status");
    v.with("schema")
        .with("openAPIV3Schema")
        .put("type", "object")
        .put("x-kubernetes-preserve-unknown-fields", true);
    return crd;
  }

  private void registerCrd(JsonNode crd) {
    String name = crd.path("metadata").path("name").asText();
    ResourceType crds = types.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").get();
    if (store.get(crds, null, name) != null) {
      return;
    }
    create(
        "apiextensions.k8s.io",
        "v1",
        "customresourcedefinitions",
        null,
        (ObjectNode) crd.deepCopy());
  }

  private void create(String group, String version, String plural, String ns, ObjectNode object) {
    String path =
        (group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version)
            + (ns == null ? "" : "/namespaces/" + ns)
            + "/"
            + plural;
    try {
      ApiResponse r =
          handler.handle(
              new ApiRequest(
                  "POST",
                  path,
                  java.util.Map.of(),
                  "application/json",
                  Json.MAPPER.writeValueAsBytes(object)));
      if (r.code() >= 300 && r.code() != 409) {
        throw new IllegalStateException("cannot create " + path + ": " + r.text());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void serve(ApiHandler h, HttpServerRequest req) {
    io.vertx.core.Context context = vertx.getOrCreateContext(); // the connection's event loop
    req.body()
        .onSuccess(
            buf ->
                workers.execute(
                    () -> {
                      ApiRequest api =
                          new ApiRequest(
                              req.method().name(),
                              req.path(),
                              ApiRequest.parseQuery(req.query()),
                              req.getHeader("Content-Type"),
                              buf.getBytes(),
                              req.getHeader("Accept"),
                              req.getHeader("User-Agent"));
                      delay();
                      if ("GET".equals(api.method()) && api.isWatch()) {
                        openChunkedWatch(h, api, req.response(), context);
                        return;
                      }
                      ApiResponse r;
                      try {
                        r = h.handle(api);
                      } catch (Throwable t) {
                        // A server always answers: an Error (a class that failed to load, ...)
                        // must not leave the client waiting for a response that never comes.
                        r = ApiResponse.status(500, "InternalError", String.valueOf(t));
                      }
                      if (REQUESTS.isDebugEnabled()) {
                        REQUESTS.debug(
                            "{} {}?{} -> {} {}",
                            api.method(),
                            api.path(),
                            req.query(),
                            r.code(),
                            r.code() >= 300 ? r.text() : "");
                      }
                      write(req.response(), r);
                    }));
  }

  private void delay() {
    Duration d = faults.delay();
    if (!d.isZero()) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void write(HttpServerResponse response, ApiResponse r) {
    response.setStatusCode(r.code());
    response.putHeader("Content-Type", "application/json");
    r.headers().forEach(response::putHeader);
    // Wrapped, not copied: netty copies a heap buffer into a direct one before writing it anyway.
    // A list comes in pieces of about a megabyte (Reads.listParts), each written on its own: the
    // first is on the socket while the next is being copied, and netty never needs a direct buffer
    // of the whole list. (Not a direct buffer of our own: Vert.x hands netty an unreleasable view
    // of it, and it would never be freed.)
    if (r.parts() == null || r.parts().size() == 1) {
      response.end(
          Buffer.buffer(
              io.netty.buffer.Unpooled.wrappedBuffer(
                  r.parts() == null ? r.body() : r.parts().get(0))));
      return;
    }
    response.putHeader("Content-Length", Integer.toString(r.length()));
    for (byte[] piece : r.parts()) {
      response.write(Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(piece)));
    }
    response.end();
  }

  private void openChunkedWatch(
      ApiHandler h, ApiRequest api, HttpServerResponse response, io.vertx.core.Context context) {
    response.setStatusCode(200);
    response.setChunked(true);
    response.putHeader("Content-Type", "application/json");
    response.putHeader("Transfer-Encoding", "chunked");
    try {
      Watcher w = h.watch(api, VertxSinks.chunked(response, context));
      if (!response.headWritten()) {
        response.writeHead(); // a client waits for the headers before it reads events
      }
      scheduleDrop(w);
    } catch (ApiException e) {
      write(response, ApiResponse.status(e.code(), e.reason(), e.getMessage()));
    }
  }

  private void openWebSocketWatch(ApiHandler h, ServerWebSocket ws) {
    ws.setWriteQueueMaxSize(64 * 1024 * 1024);
    ApiRequest api =
        new ApiRequest("GET", ws.path(), ApiRequest.parseQuery(ws.query()), null, new byte[0]);
    REQUESTS.debug("WATCH (websocket) {}?{}", ws.path(), ws.query());
    ws.pause();
    io.vertx.core.Context context = vertx.getOrCreateContext(); // the connection's event loop
    workers.execute(
        () -> {
          try {
            Watcher w = h.watch(api, VertxSinks.webSocket(ws, context));
            scheduleDrop(w);
          } catch (ApiException e) {
            ws.close((short) 1011, e.getMessage());
          } catch (RuntimeException e) {
            ws.close((short) 1011, String.valueOf(e.getMessage()));
          } finally {
            ws.resume();
          }
        });
  }

  private void scheduleDrop(Watcher w) {
    faults
        .watchDrop()
        .ifPresent(after -> background.schedule(w::close, after.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** A new fabric8 client for this server. */
  public KubernetesClient client() {
    return clientFor(url());
  }

  /** A new fabric8 client for the server at {@code url}, which may be in another process. */
  public static KubernetesClient clientFor(String url) {
    return new KubernetesClientBuilder().withConfig(configFor(url)).build();
  }

  /** The client configuration {@link #clientFor} uses. */
  public static Config configFor(String url) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withNamespace("default")
        .withRequestRetryBackoffLimit(3)
        .build();
  }

  /** {@code http://127.0.0.1:PORT/}. */
  public String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  public int port() {
    return port;
  }

  /** Faults on demand (none until configured). */
  public Faults faults() {
    return faults;
  }

  /** How many objects of a resource are stored (for benchmarks and tests). */
  public int count(String group, String plural) {
    return types.all().stream()
        .filter(t -> t.group().equals(group) && t.plural().equals(plural))
        .findFirst()
        .map(store::count)
        .orElse(0);
  }

  /** Writes a kubeconfig that points kubectl at this server. */
  public Path writeKubeconfig(Path file) throws IOException {
    String yaml =
        "apiVersion: v1\n"
            + "kind: Config\n"
            + "clusters:\n"
            + "- name: dovetail\n"
            + "  cluster:\n"
            + "    server: http://127.0.0.1:"
            + port
            + "\n"
            + "contexts:\n"
            + "- name: dovetail\n"
            + "  context:\n"
            + "    cluster: dovetail\n"
            + "    user: dovetail\n"
            + "    namespace: default\n"
            + "current-context: dovetail\n"
            + "users:\n"
            + "- name: dovetail\n"
            + "  user: {}\n";
    Files.writeString(file, yaml);
    return file;
  }

  @Override
  public void close() {
    collector.interrupt();
    background.shutdownNow();
    store.openWatches().forEach(Watcher::close);
    try {
      http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    workers.shutdownNow();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
