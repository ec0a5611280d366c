package dev.dovetail.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestsTest {
  @Test
  void workloadsExpandToThePodsTheirControllersWouldCreate(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("w.yaml"),
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: data}
        spec:
          replicas: 3
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: db}]}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: crunch}
        spec:
          parallelism: 4
          completions: 2
          template:
            spec: {restartPolicy: Never, containers: [{name: c, image: c}]}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          schedule: "0 0 * * *"
          jobTemplate:
            spec:
              template:
                spec: {restartPolicy: Never, containers: [{name: c, image: c}]}
        """);
    Manifests m = Manifests.read(List.of(dir));
    var pods = WorkloadPods.expand(m);
    assertThat(pods.stream().map(p -> p.getMetadata().getName())).contains("db-0", "db-1", "db-2");
    assertThat(pods.stream().filter(p -> "data".equals(p.getMetadata().getNamespace()))).hasSize(3);
    assertThat(pods.stream().filter(p -> p.getMetadata().getName().startsWith("crunch-")))
        .hasSize(2);
    assertThat(pods.stream().filter(p -> p.getMetadata().getName().startsWith("nightly-")))
        .hasSize(1);
    assertThat(pods).allSatisfy(p -> assertThat(p.getMetadata().getOwnerReferences()).isNotEmpty());
  }

  @Test
  void aBrokenDocumentIsNamedByFileAndNumber(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(
        f,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\n---\napiVersion: v1\nmetadata: {name: x}\n");
    assertThatThrownBy(() -> Manifests.read(List.of(f)))
        .hasMessageContaining("bad.yaml: document 2: kind: required field is missing");
  }

  @Test
  void aMissingPathIsAClearError() {
    assertThatThrownBy(() -> Manifests.read(List.of(Path.of("/nonexistent/x.yaml"))))
        .hasMessageContaining("/nonexistent/x.yaml: no such file or directory");
  }
}
