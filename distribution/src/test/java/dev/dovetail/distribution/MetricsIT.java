package dev.dovetail.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.demo.Binder;
import dev.dovetail.plugins.simulated.KWOKNodeClass;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the distribution's launcher ({@code bin/dovetail run --provider simulated}) against an
 * embedded API server through a kubeconfig, drives a small workload through it, and scrapes {@code
 * /metrics}, {@code /healthz} and {@code /readyz} from the running process.
 */
class MetricsIT {
  @TempDir Path tmp;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void runServesKarpenterMetricsDuringASmallRun() throws Exception {
    Path dist = Path.of(System.getProperty("dovetail.dist", "target/dovetail")).toAbsolutePath();
    int metricsPort = freePort();
    int healthPort = freePort();
    try (KubeApiServer api = KubeApiServer.start();
        KubernetesClient client = api.client()) {
      api.registerCustomResource(
          KWOKNodeClass.GROUP,
          KWOKNodeClass.VERSION,
          "KWOKNodeClass",
          io.fabric8.kubernetes.api.model.HasMetadata.getPlural(KWOKNodeClass.class),
          false);
      Path kubeconfig = tmp.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig(api.url()));
      createNodeClassAndPools(client);
      debugClient = client;

      ProcessBuilder pb =
          new ProcessBuilder(
                  dist.resolve("bin/dovetail").toString(),
                  "run",
                  "--provider=simulated",
                  "--kubeconfig=" + kubeconfig,
                  "--leader-elect=false",
                  "--cluster-name=it",
                  "--metrics-port=" + metricsPort,
                  "--health-probe-port=" + healthPort,
                  "--batch-idle-duration=200ms",
                  "--batch-max-duration=2s",
                  "--provider-setting=launchLatency=100ms",
                  "--provider-setting=startupTaintDelay=100ms",
                  // every spot offering refuses: the spot pool fails, on-demand takes over
                  "--provider-setting=iceOfferings=*/*/spot")
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("run.log").toFile());
      pb.environment().remove("DOVETAIL_PLUGINS_DIR");
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      Process process = pb.start();
      try (ClusterState state = new ClusterState(client, Clock.systemUTC()).start();
          Binder binder = new Binder(client, state, Clock.systemUTC()).start()) {
        await(() -> get(healthPort, "/healthz").statusCode() == 200, "healthz", process);
        await(() -> get(healthPort, "/readyz").statusCode() == 200, "readyz", process);
        for (int i = 0; i < 12; i++) {
          client.resource(pod("p" + i)).create();
        }
        await(
            () ->
                client.pods().inNamespace("default").list().getItems().stream()
                    .allMatch(p -> p.getSpec().getNodeName() != null),
            "all pods bound",
            process);
        String[] body = new String[1];
        await(
            () -> {
              body[0] = get(metricsPort, "/metrics").body();
              lastBody = body[0];
              // gauges are refreshed every few seconds: wait for one taken after the binding
              return body[0].contains("karpenter_pods_state{")
                  && !body[0].contains("phase=\"Pending\"")
                  && costOf(body[0], "on-demand") > 0;
            },
            "gauges refreshed",
            process);
        String metrics = body[0];
        for (String name :
            List.of(
                "karpenter_nodeclaims_created_total",
                "karpenter_nodeclaims_terminated_total",
                "karpenter_nodes_created_total",
                "karpenter_pods_state",
                "karpenter_scheduler_scheduling_duration_seconds_count",
                "karpenter_scheduler_queue_depth",
                "karpenter_scheduler_unschedulable_pods_count",
                "karpenter_cloudprovider_duration_seconds_count",
                "karpenter_cloudprovider_errors_total",
                "karpenter_nodepools_usage",
                "karpenter_nodepools_limit",
                "karpenter_nodepools_cost_total",
                "karpenter_cluster_state_node_count",
                "karpenter_cluster_state_synced",
                "dovetail_nodepool_cost_per_hour")) {
          assertThat(metrics).as("metric %s", name).contains(name);
        }
        int created = client.resources(NodeClaim.class).list().getItems().size();
        assertThat(sum(metrics, "karpenter_nodes_created_total")).isGreaterThanOrEqualTo(created);
        assertThat(sum(metrics, "karpenter_nodeclaims_created_total"))
            .as("spot claims failed and were replaced by on-demand ones")
            .isGreaterThan(created);
        assertThat(
                value(
                    metrics,
                    "karpenter_cloudprovider_errors_total",
                    "InsufficientCapacityException"))
            .isGreaterThanOrEqualTo(1);
        assertThat(count(metrics, "karpenter_pods_state{")).isGreaterThanOrEqualTo(12);
        assertThat(
                value(
                    metrics,
                    "karpenter_nodepools_limit",
                    "nodepool=\"on-demand\",resource_type=\"cpu\""))
            .isEqualTo(100.0);
        assertThat(value(metrics, "dovetail_nodepool_cost_per_hour", "nodepool=\"on-demand\""))
            .isGreaterThan(0.0);
      } finally {
        process.destroy();
        process.waitFor();
      }
    }
  }

  private static void createNodeClassAndPools(KubernetesClient client) {
    KWOKNodeClass nodeClass = new KWOKNodeClass();
    nodeClass.setMetadata(new ObjectMetaBuilder().withName("default").build());
    client.resource(nodeClass).create();
    client.resource(pool("spot", 100, "spot")).create();
    client.resource(pool("on-demand", 10, "on-demand")).create();
  }

  private static NodePool pool(String name, int weight, String capacityType) {
    NodePool pool = new NodePool();
    pool.setMetadata(new ObjectMetaBuilder().withName(name).build());
    pool.getSpec().setWeight(weight);
    pool.getSpec().setLimits(Map.of("cpu", new Quantity("100")));
    pool.getSpec()
        .getTemplate()
        .getSpec()
        .setRequirements(
            List.of(
                new NodeSelectorRequirementWithMinValues(
                    "karpenter.sh/capacity-type", "In", List.of(capacityType), null)));
    pool.getSpec()
        .getTemplate()
        .getSpec()
        .setNodeClassRef(new NodeClassReference("karpenter.kwok.sh", "KWOKNodeClass", "default"));
    return pool;
  }

  private static io.fabric8.kubernetes.api.model.Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("pause")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi")))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  private static String kubeconfig(String server) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: embedded
          cluster:
            server: %s
        users:
        - name: it
          user:
            token: not-checked
        contexts:
        - name: embedded
          context:
            cluster: embedded
            user: it
            namespace: default
        current-context: embedded
        """
        .formatted(server);
  }

  private HttpResponse<String> get(int port, String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private KubernetesClient debugClient;
  private volatile String lastBody;

  private void await(BooleanSupplier condition, String what, Process process) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      boolean ok;
      try {
        ok = condition.getAsBoolean();
      } catch (NullPointerException e) {
        ok = false; // endpoint not up yet
      }
      if (ok) {
        return;
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "waiting for "
                + what
                + " failed; claims: "
                + debugClient.resources(NodeClaim.class).list().getItems().stream()
                    .map(c -> c.getMetadata().getName() + "=" + c.getStatus().getConditions())
                    .toList()
                + "; pods: "
                + debugClient.pods().inNamespace("default").list().getItems().stream()
                    .map(p -> p.getMetadata().getName() + "@" + p.getSpec().getNodeName())
                    .toList()
                + "\nlast metrics:\n"
                + lastBody
                + "\nlauncher log:\n"
                + Files.readString(tmp.resolve("run.log")));
      }
      Thread.sleep(200);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The sum of every sample of a metric. */
  private static double sum(String metrics, String name) {
    double total = 0;
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
            .matcher(metrics);
    while (m.find()) {
      total += Double.parseDouble(m.group(2));
    }
    return total;
  }

  /** The first sample of a metric whose labels contain {@code labelFragment}. */
  private static double value(String metrics, String name, String labelFragment) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} ([0-9.eE+-]+)$")
            .matcher(metrics);
    while (m.find()) {
      if (m.group(1).contains(labelFragment)) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new AssertionError("no " + name + " sample with " + labelFragment + " in\n" + metrics);
  }

  private static double costOf(String metrics, String pool) {
    try {
      return value(metrics, "dovetail_nodepool_cost_per_hour", "nodepool=\"" + pool + "\"");
    } catch (AssertionError notYet) {
      return 0;
    }
  }

  private static long count(String metrics, String prefix) {
    return metrics.lines().filter(l -> l.startsWith(prefix)).count();
  }
}
