package dev.dovetail.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.controllers.Liveness;
import dev.dovetail.controllers.PeriodicController;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /healthz} answers from the controllers' heartbeats: 200 while every loop passes, 503 when
 * one hangs or dies. Time is a counter the test moves; passes run when the test says.
 */
class HealthzLivenessTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final Liveness liveness = new Liveness(nanos::get);
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpEndpoints endpoints;

  /** Passes run on the test's command, on the thread it chooses. */
  private static final class Manual implements PeriodicController.Scheduler {
    Runnable pass;

    @Override
    public AutoCloseable schedule(String name, Duration initial, Duration interval, Runnable p) {
      pass = p;
      return () -> {};
    }
  }

  private int healthz() throws Exception {
    if (endpoints == null) {
      endpoints =
          HttpEndpoints.start(
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              -1,
              0,
              liveness::alive,
              () -> true);
    }
    return http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoints.healthPort() + "/healthz"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @AfterEach
  void stop() {
    if (endpoints != null) {
      endpoints.close();
    }
  }

  private PeriodicController loop(String name, Manual scheduler, Runnable reconcile) {
    return PeriodicController.every(Duration.ofSeconds(10), name, reconcile)
        .withScheduler(scheduler)
        .withLiveness(liveness)
        .start();
  }

  @Test
  void allLoopsPassingIsHealthy() throws Exception {
    Manual expiration = new Manual();
    Manual overlay = new Manual();
    loop("nodeclaim.expiration", expiration, () -> {});
    loop("nodeoverlay", overlay, () -> {});
    Liveness.Loop provisioner = liveness.loop("provisioner", Duration.ofMinutes(5), null);
    for (int i = 0; i < 10; i++) {
      advance(Duration.ofSeconds(10));
      expiration.pass.run();
      overlay.pass.run();
      provisioner.pass(() -> {});
    }
    assertThat(healthz()).isEqualTo(200);
  }

  @Test
  void aLoopWhoseThreadDiedMakesHealthzFail() throws Exception {
    Manual expiration = new Manual();
    Manual overlay = new Manual();
    PeriodicController dead = loop("nodeclaim.expiration", expiration, () -> {});
    loop("nodeoverlay", overlay, () -> {});
    expiration.pass.run();
    overlay.pass.run();
    assertThat(healthz()).isEqualTo(200);
    // only the overlay loop keeps passing; the expiration loop's thread is gone
    for (int i = 0; i < 13; i++) {
      advance(Duration.ofSeconds(10));
      overlay.pass.run();
    }
    assertThat(liveness.check().message()).startsWith("nodeclaim.expiration: no pass");
    assertThat(healthz()).isEqualTo(503);
    // stopped on purpose (shutdown, leadership lost) is not dead
    dead.close();
    assertThat(healthz()).isEqualTo(200);
  }

  @Test
  void aHangingPassMakesHealthzFailUntilItReturns() throws Exception {
    Manual scheduler = new Manual();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    loop(
        "staticcapacity",
        scheduler,
        () -> {
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    Thread pass = new Thread(scheduler.pass, "staticcapacity-pass");
    pass.start();
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(healthz()).isEqualTo(200);
    advance(Duration.ofMinutes(3)); // 6 intervals + 1 minute is 2 minutes
    assertThat(healthz()).isEqualTo(503);
    assertThat(liveness.check().message()).startsWith("staticcapacity: pass running for 180s");
    release.countDown();
    pass.join(30_000);
    assertThat(healthz()).isEqualTo(200);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
