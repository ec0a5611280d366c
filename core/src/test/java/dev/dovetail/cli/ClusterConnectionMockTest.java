package dev.dovetail.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run}'s start-up checks: one line naming the kubeconfig path or the API server's URL. */
class ClusterConnectionMockTest {

  @TempDir Path tmp;

  @Test
  void missingKubeconfigNamesThePath() {
    Path missing = tmp.resolve("nope/kubeconfig");
    assertThatThrownBy(() -> ClusterConnection.config(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "kubeconfig " + missing + " does not exist (--kubeconfig or KUBECONFIG)");
    assertThatThrownBy(() -> ClusterConnection.config(tmp))
        .hasMessageStartingWith("kubeconfig " + tmp + " is not a file");
  }

  @Test
  void unreadableKubeconfigNamesThePath() throws Exception {
    Path garbage = Files.writeString(tmp.resolve("kubeconfig"), "{ not: [yaml");
    assertThatThrownBy(() -> ClusterConnection.config(garbage))
        .hasMessageStartingWith("cannot read kubeconfig " + garbage + ": ");
  }

  @Test
  void serverThatDoesNotAnswerIsOneLineWithItsUrl() {
    Config config =
        new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").withRequestTimeout(2000).build();
    assertThatThrownBy(() -> ClusterConnection.check(config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot reach the Kubernetes API server at https://127.0.0.1:1")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void serverThatAnswersIsReachableEvenWithoutAVersionEndpoint() {
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        KubernetesClient client = api.client()) {
      Config config = client.getConfiguration();
      assertThatCode(() -> ClusterConnection.check(config)).doesNotThrowAnyException();
    }
  }
}
