package dev.dovetail.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimSpec;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.demo.DemoNodePools;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code kubectl} (Debian's kubernetes-client) lists, describes and watches NodePools,
 * NodeClaims, nodes and pods on our server. Skipped, saying so, where kubectl is not installed.
 */
class KubectlMockTest {
  private static KubeApiServer api;
  private static KubernetesClient client;
  private static Path kubeconfig;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    Assumptions.assumeTrue(
        kubectl().isPresent(),
        "kubectl is not installed (apt-get install kubernetes-client): kubectl tests skipped");
    api = KubeApiServer.start();
    api.registerCustomResource(
        "karpenter.kwok.sh", "v1alpha1", "KWOKNodeClass", "kwoknodeclasses", false);
    client = api.client();
    kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));
    NodeClassReference ref =
        new NodeClassReference("karpenter.kwok.sh", "KWOKNodeClass", "default");
    DemoNodePools.all(ref).forEach(p -> client.resource(p).create());
    NodeClaim claim = new NodeClaim();
    claim.setMetadata(new ObjectMetaBuilder().withName("general-abcde").build());
    NodeClaimSpec spec = new NodeClaimSpec();
    spec.setNodeClassRef(ref);
    claim.setSpec(spec);
    client.resource(claim).create();
    client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("node-a")
                .addToLabels("karpenter.sh/nodepool", "general")
                .endMetadata()
                .withNewStatus()
                .addToCapacity("cpu", new Quantity("4"))
                .endStatus()
                .build())
        .create();
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("web-1")
                .withNamespace("default")
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
      api.close();
    }
  }

  private static java.util.Optional<String> kubectl() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "kubectl");
      if (f.canExecute()) {
        return java.util.Optional.of(f.getPath());
      }
    }
    return java.util.Optional.empty();
  }

  private static String run(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(kubectl().orElseThrow());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void listsEachKind() throws Exception {
    assertThat(run("get", "nodepools")).contains("general").contains("spot");
    assertThat(run("get", "nodeclaims", "-o", "wide")).contains("general-abcde");
    assertThat(run("get", "nodes", "-o", "wide")).contains("node-a");
    assertThat(run("get", "pods", "-o", "wide")).contains("web-1");
    assertThat(run("get", "pods", "-l", "app=web", "-o", "name")).contains("pod/web-1");
    assertThat(run("get", "nodes", "-l", "karpenter.sh/nodepool=general", "-o", "name"))
        .contains("node/node-a");
  }

  @Test
  void printsUpstreamsColumnsServerSide() throws Exception {
    // NodePools and NodeClaims print their CRD's additionalPrinterColumns, as on a real API server.
    String pools = run("get", "nodepools");
    assertThat(pools.lines().findFirst().orElse(""))
        .contains("NAME")
        .contains("NODECLASS")
        .contains("AGE");
    String wide = run("get", "nodepools", "-o", "wide");
    assertThat(wide.lines().findFirst().orElse("")).contains("WEIGHT");
    assertThat(run("get", "nodeclaims", "-o", "wide").lines().findFirst().orElse(""))
        .contains("TYPE")
        .contains("ZONE");
    String nodes = run("get", "nodes", "-o", "wide");
    assertThat(nodes.lines().findFirst().orElse("")).contains("STATUS").contains("INSTANCE-TYPE");
    assertThat(run("get", "pods", "-o", "wide").lines().findFirst().orElse(""))
        .contains("STATUS")
        .contains("NODE");
  }

  @Test
  void describesEachKind() throws Exception {
    assertThat(run("describe", "nodepool", "general")).contains("Name:").contains("general");
    assertThat(run("describe", "nodeclaim", "general-abcde")).contains("general-abcde");
    assertThat(run("describe", "node", "node-a")).contains("node-a").contains("cpu");
    assertThat(run("describe", "pod", "web-1")).contains("web-1").contains("nginx");
  }

  @Test
  void watchesPodsAndNodeClaims() throws Exception {
    for (String kind : List.of("pods", "nodeclaims")) {
      String existing = kind.equals("pods") ? "web-1" : "general-abcde";
      String created = kind.equals("pods") ? "watched-pod" : "watched-claim";
      Process watch =
          new ProcessBuilder(
                  kubectl().orElseThrow(),
                  "--kubeconfig=" + kubeconfig,
                  "get",
                  kind,
                  "--watch",
                  "--output-watch-events")
              .redirectErrorStream(true)
              .start();
      try {
        java.util.concurrent.BlockingQueue<String> lines =
            new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader =
            new Thread(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                      lines.add(line);
                    }
                  } catch (IOException ended) {
                    // the process was destroyed
                  }
                });
        reader.setDaemon(true);
        reader.start();
        // the initial listing shows the watch is being established ...
        assertThat(awaitLine(lines, existing)).contains("ADDED");
        // ... and what is created afterwards arrives through the watch
        create(kind, created);
        assertThat(awaitLine(lines, created)).contains("ADDED");
      } finally {
        watch.destroy();
      }
    }
  }

  private static String awaitLine(java.util.concurrent.BlockingQueue<String> lines, String text)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        seen.add(line);
        if (line.contains(text)) {
          return line;
        }
      }
    }
    throw new AssertionError("kubectl never printed " + text + "; it printed " + seen);
  }

  private static void create(String kind, String name) {
    if (kind.equals("pods")) {
      client
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace("default")
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("app")
                  .withImage("nginx")
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
    } else {
      NodeClaim claim = new NodeClaim();
      claim.setMetadata(new ObjectMetaBuilder().withName(name).build());
      NodeClaimSpec spec = new NodeClaimSpec();
      spec.setNodeClassRef(new NodeClassReference("karpenter.kwok.sh", "KWOKNodeClass", "default"));
      claim.setSpec(spec);
      client.resource(claim).create();
    }
  }

  @Test
  void appliesAManifest(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("cm.yaml");
    Files.writeString(
        manifest,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-kubectl\n  namespace: default\ndata:\n  k: v\n");
    assertThat(run("create", "--validate=false", "-f", manifest.toString()))
        .contains("configmap/from-kubectl created");
    assertThat(client.configMaps().inNamespace("default").withName("from-kubectl").get().getData())
        .isEqualTo(Map.of("k", "v"));
  }
}
