package dev.dovetail.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The distribution's {@code bin/dovetail} started with exactly the command, arguments and
 * environment the chart rendered for its controller container (paths under the image's {@code
 * /opt/dovetail/} mapped to the unpacked distribution), its output in a log file; and what the
 * chart-contract tests wait for and read on it. One place for both providers' contract tests, so
 * they start and observe the process the same way.
 */
final class RenderedController implements AutoCloseable {
  /** Generous: the process starts a JVM and its plugins on a loaded machine. */
  private static final Duration WAIT = Duration.ofSeconds(120);

  private final Process process;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private RenderedController(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the rendered container. {@code inherited} says which of this JVM's variables must not
   * leak into the process (those the chart renders, so only the rendered value counts); {@code
   * extra} is what the cluster gives a pod beyond the chart (a kubeconfig, a Java, credentials).
   */
  static RenderedController start(
      Path dist, Container c, Path tmp, Predicate<String> inherited, Map<String, String> extra)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(dist.resolve("bin/dovetail").toString()); // the image's /opt/dovetail/bin/dovetail
    for (String arg : c.getArgs()) {
      command.add(arg.replace("/opt/dovetail/", dist + "/"));
    }
    Path log = tmp.resolve("run.log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(inherited);
    for (EnvVar v : c.getEnv()) {
      pb.environment().put(v.getName(), ChartContractIT.value(v));
    }
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(extra);
    return new RenderedController(pb.start(), log);
  }

  /**
   * Waits until the process serves: the rendered health and metrics ports answer, it holds the
   * leader-election Lease in the release namespace as this pod ({@code POD_NAME}), and its
   * controllers started.
   */
  void awaitServing(KubernetesClient client, int healthPort, int metricsPort) throws Exception {
    await(() -> status(healthPort, "/healthz") == 200, "healthz");
    await(() -> status(metricsPort, "/metrics") == 200, "metrics");
    await(
        () -> {
          Lease lease =
              client
                  .leases()
                  .inNamespace(ChartContractIT.NAMESPACE)
                  .withName("dovetail-leader-election")
                  .get();
          return lease != null
              && lease.getSpec().getHolderIdentity() != null
              && lease.getSpec().getHolderIdentity().startsWith("dovetail-contract-pod_");
        },
        "Lease held by the pod");
    await(() -> message("dovetail controllers started").isPresent(), "started");
  }

  /**
   * The settings line the process logs carries every value {@link ChartContractIT#contractValues}
   * sets (plus {@code more}), and the operator started with the feature gates.
   */
  void assertContractSettings(int metricsPort, int healthPort, String... more) {
    String settings = message("settings:").orElseThrow();
    for (String m : more) {
      assertThat(settings).contains(m);
    }
    assertThat(settings)
        .contains("clusterName=contract")
        .contains("batchIdleDuration=PT0.3S")
        .contains("batchMaxDuration=PT3S")
        .contains("preferencePolicy=Ignore")
        .contains("minValuesPolicy=BestEffort")
        .contains("kubeClientQPS=450 kubeClientBurst=650")
        .contains("NodeRepair=true")
        .contains("SpotToSpotConsolidation=true")
        .contains("ReservedCapacity=false")
        .contains("logFormat=json")
        .contains("metricsPort=" + metricsPort)
        .contains("healthProbePort=" + healthPort)
        .contains("leaderElect=true")
        .contains("leaderElectionNamespace=" + ChartContractIT.NAMESPACE)
        // CLUSTER_ENDPOINT and INTERRUPTION_QUEUE reach the provider's settings, and the
        // Kubernetes version comes from the API server (what KubeApiServer's /version says)
        .contains("clusterEndpoint=https://contract.example:443")
        .contains("interruptionQueue=contract-queue")
        .contains("kubernetesVersion=1.32");
    assertThat(message("dovetail controllers started").orElseThrow())
        .contains("NodeRepair=true")
        .contains("SpotToSpotConsolidation=true");
  }

  /** Waits for {@code condition}; fails with the log if the process exits or time runs out. */
  void await(BooleanSupplier condition, String what) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      if (condition.getAsBoolean()) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "process exited (" + process.exitValue() + ") before " + what + ":\n" + log());
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what + ":\n" + log());
  }

  /** The process's non-blank output lines. */
  List<String> logLines() throws IOException {
    return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
  }

  /** The first JSON log line whose message starts with {@code prefix}. */
  Optional<String> message(String prefix) {
    try {
      for (String l : logLines()) {
        if (l.startsWith("{")) {
          String m = json.readTree(l).path("formattedMessage").asText("");
          if (m.startsWith(prefix)) {
            return Optional.of(m);
          }
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The HTTP status of a GET on the process's port, or -1 when it does not answer. */
  int status(int port, String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
