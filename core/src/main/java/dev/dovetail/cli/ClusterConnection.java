package dev.dovetail.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How {@code run} reaches the cluster, with the two start-up failures an operator hits most (a
 * kubeconfig that is not there, an API server that does not answer) turned into one line naming the
 * path or the URL instead of a client stack trace.
 */
final class ClusterConnection {
  private ClusterConnection() {}

  /** The client configuration: {@code kubeconfig} when given, else in-cluster or ~/.kube/config. */
  static Config config(Path kubeconfig) {
    if (kubeconfig == null) {
      return Config.autoConfigure(null);
    }
    if (!Files.isRegularFile(kubeconfig)) {
      throw new IllegalArgumentException(
          "kubeconfig %s %s (--kubeconfig or KUBECONFIG): point it at a readable kubeconfig file,"
                  .formatted(
                      kubeconfig, Files.exists(kubeconfig) ? "is not a file" : "does not exist")
              + " or leave both unset to use the in-cluster service account");
    }
    try {
      return Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot read kubeconfig %s: %s".formatted(kubeconfig, rootMessage(e)), e);
    }
  }

  /**
   * Asks the API server for its version, so a server that does not answer at all (wrong URL,
   * refused connection, unknown host, TLS failure) is reported before any controller starts.
   *
   * @throws IllegalStateException naming the API server's URL and the reason
   */
  static void check(Config config) {
    // One attempt, not the client's retries with back-off: an operator should see the error now.
    Config once = new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(once).build()) {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      if (e.getCode() > 0) {
        // It answered: reachable. Some API servers (and the embedded one) do not serve /version
        // to everyone; permissions are reported by the controllers that need them.
        return;
      }
      throw new IllegalStateException(
          "cannot reach the Kubernetes API server at %s: %s"
              .formatted(once.getMasterUrl(), rootMessage(e)),
          e);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null
        ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
