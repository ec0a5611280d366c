package dev.dovetail.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodePool;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code kubectl} writes NodePools with its validation on (the default): it reads our
 * {@code /openapi/v3}, finds the {@code fieldValidation} parameter and leaves validation to the
 * server, which refuses unknown fields. Also {@code --dry-run=server}. Where kubectl is missing the
 * test is skipped, except on CI ({@code CI} set), which installs it: there it fails.
 */
class KubectlWriteMockTest {
  private static final String POOL =
      """
      apiVersion: karpenter.sh/v1
      kind: NodePool
      metadata:
        name: %s
      spec:
        template:
          spec:
            requirements:
              - key: kubernetes.io/arch
                operator: In
                values: ["amd64"]
            nodeClassRef:
              group: karpenter.kwok.sh
              kind: KWOKNodeClass
              name: default
        limits:
          cpu: %s
      """;

  private KubeApiServer api;
  private KubernetesClient client;
  private Path kubeconfig;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    if (kubectl().isEmpty()) {
      assertThat(System.getenv("CI"))
          .as("kubectl must be installed on CI (apt-get install kubernetes-client)")
          .isNull();
      Assumptions.abort("kubectl is not installed: kubectl write tests skipped");
    }
    api = KubeApiServer.start();
    api.registerCustomResource(
        "karpenter.kwok.sh", "v1alpha1", "KWOKNodeClass", "kwoknodeclasses", false);
    client = api.client();
    kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
      api.close();
    }
  }

  @Test
  void createsAndAppliesANodePoolWithValidationOn(@TempDir Path dir) throws Exception {
    Path created = write(dir, "created.yaml", POOL.formatted("created", "100"));
    assertThat(kubectl("create", "-f", created.toString()).out())
        .contains("nodepool.karpenter.sh/created created");
    assertThat(pool("created").getSpec().getLimits()).containsKey("cpu");

    Path applied = write(dir, "applied.yaml", POOL.formatted("applied", "100"));
    assertThat(kubectl("apply", "-f", applied.toString()).out())
        .contains("nodepool.karpenter.sh/applied created");
    // the same file changed and applied again: a patch of the stored object
    Files.writeString(applied, POOL.formatted("applied", "200"));
    assertThat(kubectl("apply", "-f", applied.toString()).out())
        .contains("nodepool.karpenter.sh/applied configured");
    assertThat(pool("applied").getSpec().getLimits().get("cpu").toString()).isEqualTo("200");
  }

  @Test
  void serverSideApplyOwnsFieldsAndReportsConflicts(@TempDir Path dir) throws Exception {
    Path file = write(dir, "ssa.yaml", POOL.formatted("ssa", "100"));
    Result created = kubectl("apply", "--server-side", "-f", file.toString());
    assertThat(created.out()).contains("nodepool.karpenter.sh/ssa serverside-applied");
    assertThat(pool("ssa").getMetadata().getManagedFields())
        .anySatisfy(e -> assertThat(e.getManager()).isEqualTo("kubectl"));

    Files.writeString(file, POOL.formatted("ssa", "200"));
    Result conflict =
        kubectl("apply", "--server-side", "--field-manager=other", "-f", file.toString());
    assertThat(conflict.code()).as(conflict.out()).isNotZero();
    assertThat(conflict.out()).contains("conflict").contains("kubectl");
    assertThat(pool("ssa").getSpec().getLimits().get("cpu").toString()).isEqualTo("100");

    Result forced =
        kubectl(
            "apply",
            "--server-side",
            "--field-manager=other",
            "--force-conflicts",
            "-f",
            file.toString());
    assertThat(forced.code()).as(forced.out()).isZero();
    assertThat(pool("ssa").getSpec().getLimits().get("cpu").toString()).isEqualTo("200");
  }

  @Test
  void explainsTheNodePoolSchemaFromOpenApiV3() throws Exception {
    Result r = kubectl("explain", "nodepools.spec.limits");
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("KIND:").contains("NodePool").contains("limits");
  }

  @Test
  void explainsBuiltInKindsFieldsFromOpenApiV3() throws Exception {
    Result containers = kubectl("explain", "pods.spec.containers.resources");
    assertThat(containers.code()).as(containers.out()).isZero();
    assertThat(containers.out()).contains("KIND:").contains("Pod").contains("requests");
    Result node = kubectl("explain", "nodes.status.allocatable");
    assertThat(node.code()).as(node.out()).isZero();
    assertThat(node.out()).contains("Node");
    Result events = kubectl("explain", "events.involvedObject");
    assertThat(events.code()).as(events.out()).isZero();
    assertThat(events.out()).contains("Event").contains("uid");
    Result namespaces = kubectl("explain", "namespaces.status");
    assertThat(namespaces.code()).as(namespaces.out()).isZero();
    assertThat(namespaces.out()).contains("phase");
  }

  @Test
  void refusesAnUnknownFieldWithValidationOn(@TempDir Path dir) throws Exception {
    Path bad =
        write(
            dir,
            "bad.yaml",
            POOL.formatted("bad", "100").replace("  limits:", "  limitz:\n    cpu: 1\n  limits:"));
    Result r = kubectl("create", "-f", bad.toString());
    assertThat(r.code()).isNotZero();
    assertThat(r.out()).contains("unknown field").contains("spec.limitz");
    assertThat(pool("bad")).isNull();
    // with validation off the field is dropped, as the API server prunes it
    assertThat(kubectl("create", "--validate=false", "-f", bad.toString()).out())
        .contains("created");
    assertThat(pool("bad")).isNotNull();
  }

  @Test
  void serverSideDryRunStoresNothing(@TempDir Path dir) throws Exception {
    Path file = write(dir, "dry.yaml", POOL.formatted("dry", "100"));
    assertThat(kubectl("create", "--dry-run=server", "-f", file.toString()).out())
        .contains("nodepool.karpenter.sh/dry created (server dry run)");
    assertThat(pool("dry")).isNull();
    kubectl("create", "-f", file.toString());
    assertThat(kubectl("delete", "nodepool", "dry", "--dry-run=server").out())
        .contains("(server dry run)");
    assertThat(pool("dry")).isNotNull();
  }

  private NodePool pool(String name) {
    return client.resources(NodePool.class).withName(name).get();
  }

  private static Path write(Path dir, String name, String yaml) throws Exception {
    return Files.writeString(dir.resolve(name), yaml);
  }

  private record Result(int code, String out) {}

  private Result kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(kubectl().orElseThrow());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  private static Optional<String> kubectl() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "kubectl");
      if (f.canExecute()) {
        return Optional.of(f.getPath());
      }
    }
    return Optional.empty();
  }
}
