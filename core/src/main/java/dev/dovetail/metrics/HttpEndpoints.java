package dev.dovetail.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The controller's HTTP endpoints: {@code /metrics} (Prometheus text format) on the metrics port,
 * {@code /healthz} and {@code /readyz} on the health probe port. The JDK's built-in server keeps
 * the dependency count down; these endpoints see a request every few seconds at most.
 */
public final class HttpEndpoints implements AutoCloseable {
  private final HttpServer metrics;
  private final HttpServer health;

  private HttpEndpoints(HttpServer metrics, HttpServer health) {
    this.metrics = metrics;
    this.health = health;
  }

  /**
   * Starts both servers (port 0 = any free port; a negative port disables that server).
   *
   * @param live whether the process is alive (liveness)
   * @param ready whether it is ready to serve (readiness: caches synced)
   */
  public static HttpEndpoints start(
      PrometheusMeterRegistry registry,
      int metricsPort,
      int healthPort,
      BooleanSupplier live,
      BooleanSupplier ready)
      throws IOException {
    HttpServer m = null;
    if (metricsPort >= 0) {
      m = HttpServer.create(new InetSocketAddress(metricsPort), 0);
      m.createContext(
          "/metrics",
          ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
      m.setExecutor(Executors.newSingleThreadExecutor(daemon("metrics-http")));
      m.start();
    }
    HttpServer h = null;
    if (healthPort >= 0) {
      h = HttpServer.create(new InetSocketAddress(healthPort), 0);
      h.createContext("/healthz", ex -> probe(ex, live));
      h.createContext("/readyz", ex -> probe(ex, ready));
      h.setExecutor(Executors.newSingleThreadExecutor(daemon("health-http")));
      h.start();
    }
    return new HttpEndpoints(m, h);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static void probe(HttpExchange ex, BooleanSupplier check) throws IOException {
    boolean ok = check.getAsBoolean();
    respond(ex, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "not ready\n");
  }

  private static void respond(HttpExchange ex, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  public int metricsPort() {
    return metrics == null ? -1 : metrics.getAddress().getPort();
  }

  public int healthPort() {
    return health == null ? -1 : health.getAddress().getPort();
  }

  @Override
  public void close() {
    if (metrics != null) {
      metrics.stop(0);
    }
    if (health != null) {
      health.stop(0);
    }
  }
}
