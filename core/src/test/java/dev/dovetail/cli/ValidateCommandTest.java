package dev.dovetail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.NodeClassKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dovetail validate}: exit status, output lines, and no stack traces. */
class ValidateCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private String stdin = "";

  private int run(String... args) {
    ValidateCommand command = new ValidateCommand(List::<NodeClassKind>of);
    command.setStdin(
        () ->
            new java.io.ByteArrayInputStream(
                stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private Path file(String name, String content) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }

  private static final String GOOD =
      """
      apiVersion: karpenter.sh/v1
      kind: NodePool
      metadata:
        name: default
      spec:
        template:
          spec:
            requirements: []
            nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      """;

  @Test
  void karpenterV01AutoscalingExamplesExitZero() {
    String dir = "../examples/autoscaling/";
    assertThat(
            run(
                "-f", dir + "queue-length-average-value.yaml",
                "-f", dir + "reserved-capacity-utilization.yaml",
                "-f", dir + "scheduled-capacity.yaml"))
        .as("stdout %s, stderr %s", out, err)
        .isZero();
  }

  @Test
  void validFilesExitZero() throws IOException {
    Path a = file("a.yaml", GOOD);
    Path b = file("b.yaml", GOOD + "---\n" + GOOD.replace("name: default\nspec", "name: b\nspec"));
    assertThat(run("-f", a.toString(), "--filename", b.toString())).isZero();
    assertThat(out.toString()).contains("2 files valid");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void oneBadDocumentExitsOneWithFileDocumentAndPath() throws IOException {
    Path good = file("good.yaml", GOOD);
    Path bad =
        file(
            "bad.yaml",
            GOOD + "---\n" + GOOD.replace("spec:\n  template", "spec:\n  weight: 0\n  template"));
    assertThat(run("-f", good.toString(), "-f", bad.toString())).isEqualTo(1);
    assertThat(err.toString().lines())
        .containsExactly(
            bad + ": document 2: spec.weight: invalid value 0: must be greater than or equal to 1");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void garbageMissingAndEmptyFilesAreOneLineEachNeverAStackTrace() throws IOException {
    Path garbage = file("garbage.yaml", "\u0000\u0001 {{{ ::: [");
    Path empty = file("empty.yaml", "");
    Path missing = dir.resolve("missing.yaml");
    assertThat(run("-f", garbage.toString(), "-f", empty.toString(), "-f", missing.toString()))
        .isEqualTo(1);
    String errors = err.toString();
    assertThat(errors).doesNotContain("\tat ", "Exception");
    assertThat(errors.lines()).hasSize(3);
    assertThat(errors).contains(garbage + ": document 1: cannot parse YAML");
    assertThat(errors).contains(empty + ": no objects found");
    assertThat(errors).contains(missing + ": no such file");
  }

  @Test
  void aDirectoryMeansItsManifestFiles() throws IOException {
    file("one.yaml", GOOD);
    file("two.yml", GOOD);
    file("notes.txt", "not a manifest");
    assertThat(run("-f", dir.toString())).isZero();
    assertThat(out.toString()).contains("2 files valid");
  }

  @Test
  void aNodeClassIsKnownWhenItsKindIsInstalledOrItsCrdGiven() throws IOException {
    Path aks =
        file(
            "aks.yaml",
            """
            apiVersion: karpenter.azure.com/v1beta1
            kind: AKSNodeClass
            metadata: {name: default}
            spec: {imageFamily: AzureLinux}
            """);
    assertThat(run("-f", aks.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("unknown kind \"AKSNodeClass\"");
    Path crd =
        dev.dovetail.validate.RepoPaths.root()
            .resolve("charts/dovetail/crds/karpenter.azure.com_aksnodeclasses.yaml");
    err.getBuffer().setLength(0);
    assertThat(run("--crd", crd.toString(), "-f", aks.toString())).isZero();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void readsStandardInputJsonAndLists() {
    stdin =
        """
        {"apiVersion": "v1", "kind": "List", "items": [
          {"apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "a"},
           "spec": {"template": {"spec": {"requirements": [],
             "nodeClassRef": {"group": "g", "kind": "K", "name": "n"}}}}},
          {"apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "b"},
           "spec": {"weight": 500, "template": {"spec": {"requirements": [],
             "nodeClassRef": {"group": "g", "kind": "K", "name": "n"}}}}}]}
        """;
    assertThat(run("-f", "-")).isEqualTo(1);
    assertThat(err.toString().lines())
        .containsExactly(
            "<stdin>: document 1: items[1].spec.weight: invalid value 500: must be less than or"
                + " equal to 100");
  }

  @Test
  void anUnreadableCrdIsOneLineNotAStackTrace() throws IOException {
    Path good = file("good.yaml", GOOD);
    assertThat(run("--crd", dir.resolve("nope.yaml").toString(), "-f", good.toString()))
        .isEqualTo(1);
    assertThat(err.toString().lines())
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith("error: cannot load the schemas"));
  }

  @Test
  void missingFilenameIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--filename=FILE'");
  }
}
