package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dovetail.operator.Settings;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small held demo run ({@code --report}, {@code --kubeconfig-out}, {@code --hold}, {@code
 * --summary-json}): the report shows every node and the timeline, the summary has the provisioning
 * figures, and the real kubectl lists the demo's NodePools, NodeClaims and nodes while it holds.
 */
class DemoReportMockTest {
  private static final int PODS = 40;
  private static Demo demo;
  private static CompletableFuture<Demo.Summary> run;
  private static Path report;
  private static Path kubeconfig;
  private static Path summaryJson;

  @BeforeAll
  static void startHeldDemo(@TempDir Path dir) throws Exception {
    report = dir.resolve("out/report.html");
    kubeconfig = dir.resolve("kubeconfig");
    summaryJson = dir.resolve("summary.json");
    demo =
        new Demo(
            new SimulatedCloud(),
            new Demo.Options(
                PODS,
                "aws",
                42,
                Duration.ofSeconds(90),
                Duration.ZERO,
                summaryJson,
                Settings.defaults().withClusterName("demo"),
                -1,
                false,
                report,
                kubeconfig,
                true),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return demo.run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    // The report is written just before the demo starts holding.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(report) && !run.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(report).as("the held demo wrote its report").exists();
    assertThat(run).as("--hold keeps the demo running after the summary").isNotDone();
  }

  @AfterAll
  static void release() throws Exception {
    if (demo != null) {
      demo.release();
      Demo.Summary s = run.get(30, TimeUnit.SECONDS);
      assertThat(s.pods().bound()).isEqualTo(PODS);
    }
  }

  @Test
  void reportShowsEveryNodeAndTheTimeline() throws IOException {
    List<String> nodes = new ArrayList<>();
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
            .build()) {
      for (Node n : client.nodes().list().getItems()) {
        nodes.add(n.getMetadata().getName());
      }
    }
    assertThat(nodes).isNotEmpty();
    String html = Files.readString(report);
    assertThat(html).contains("<svg id=\"timeline\"");
    for (String node : nodes) {
      assertThat(html).contains("data-node=\"" + node + "\"");
    }
    assertThat(html.split("data-node=\"", -1)).hasSize(nodes.size() + 1);
  }

  @Test
  void summaryHasProvisioningFiguresBesideTheExistingFields() throws IOException {
    JsonNode json = new ObjectMapper().readTree(summaryJson.toFile());
    assertThat(json.at("/pods/total").asInt()).isEqualTo(PODS);
    assertThat(json.at("/pods/bound").asInt()).isEqualTo(PODS);
    JsonNode p = json.get("provisioning");
    assertThat(p).isNotNull();
    // Every pod of the demo needed new capacity (the cluster starts empty).
    assertThat(p.get("nominated").asInt()).isEqualTo(PODS);
    assertThat(p.get("boundAsNominated").asInt()).isBetween(1, PODS);
    assertThat(p.get("reprovisioned").asInt()).isBetween(0, PODS);
    assertThat(p.get("waves").asInt()).isPositive();
    assertThat(p.get("plannedCostPerHour").asDouble()).isPositive();
    assertThat(p.get("costPerHour").asDouble()).isEqualTo(json.get("costPerHour").asDouble());
    assertThat(p.get("secondsToAllBound").isNumber()).isTrue();
  }

  @Test
  void kubectlListsNodePoolsNodeClaimsAndNodes() throws Exception {
    Assumptions.assumeTrue(
        new File("/usr/bin/kubectl").canExecute(),
        "/usr/bin/kubectl is not installed (apt-get install kubernetes-client): kubectl test skipped");
    Process kubectl =
        new ProcessBuilder(
                "/usr/bin/kubectl",
                "--kubeconfig",
                kubeconfig.toString(),
                "get",
                "nodepools,nodeclaims,nodes",
                "-o",
                "name")
            .redirectErrorStream(true)
            .start();
    String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(kubectl.exitValue()).as(out).isZero();
    assertThat(out).contains("nodepool.karpenter.sh/", "nodeclaim.karpenter.sh/", "node/");
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
            .build()) {
      for (Node n : client.nodes().list().getItems()) {
        assertThat(out).contains("node/" + n.getMetadata().getName());
      }
    }
  }
}
