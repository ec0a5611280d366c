package dev.dovetail.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.apiserver.KubeApiServer;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node registrar (the kubelet and cloud node controller stand-in of simulated providers)
 * against the embedded API server with faults: the node of a terminated instance goes even when the
 * API answers its first deletes with a conflict, and a lasting refusal is not retried.
 */
class KubeNodeRegistrarMockTest {
  private final KubeApiServer api = KubeApiServer.start();
  private final KubernetesClient client = api.client();
  private final KubeNodeRegistrar registrar = new KubeNodeRegistrar(client);

  @AfterEach
  void close() {
    client.close();
    api.close();
  }

  private void node(String name) {
    registrar.register(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build());
  }

  @Test
  void aDeleteAnsweredWithAConflictIsTriedAgainUntilTheNodeIsGone() throws Exception {
    node("n1");
    api.faults().seed(1).error("delete", "nodes", 1.0, 409);
    CompletableFuture<Void> deregister =
        CompletableFuture.runAsync(() -> registrar.deregister("n1"));
    while (api.faults().injected() < 2) {
      Thread.sleep(20);
    }
    api.faults().clear();
    deregister.get(30, TimeUnit.SECONDS);
    assertThat(client.nodes().withName("n1").get()).isNull();
  }

  @Test
  void aNodeAlreadyGoneIsNotAnError() {
    registrar.deregister("never-registered");
    assertThat(client.nodes().list().getItems()).isEmpty();
  }

  @Test
  void aConflictThatLastsIsSurfacedAfterTheLastTry() {
    node("n2");
    api.faults().seed(1).error("delete", "nodes", 1.0, 409);
    assertThatThrownBy(() -> registrar.deregister("n2"))
        .isInstanceOf(KubernetesClientException.class)
        .extracting(e -> ((KubernetesClientException) e).getCode())
        .isEqualTo(409);
    assertThat(api.faults().injected()).isGreaterThanOrEqualTo(6);
  }
}
