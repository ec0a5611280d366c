package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A second NodeClaim cache (the lifecycle reconciler's) holds the cluster state's object of each
 * version instead of its own copy, through creates, updates and deletes.
 */
class SharedCopiesMockTest {
  private final EmbeddedApiServer api = EmbeddedApiServer.start();
  private final KubernetesClient client = api.client();
  private final ClusterState state = new ClusterState(client, Clock.systemUTC()).start();
  private final SharedIndexInformer<NodeClaim> other =
      client.resources(NodeClaim.class).runnableInformer(0);

  @AfterEach
  void stop() {
    other.close();
    state.close();
    client.close();
    api.close();
  }

  @Test
  void bothCachesHoldOneObjectPerVersion() throws Exception {
    other.itemStore(WithoutManagedFields.sharing(state.nodeClaimCopies()));
    other.start().toCompletableFuture().get();

    client.resource(Harness.nodeClaim("a", null)).create();
    awaitSameVersion("a");
    assertThat(other.getStore().getByKey("a")).isSameAs(state.nodeClaim("a").orElseThrow());

    NodeClaim updated =
        client
            .resources(NodeClaim.class)
            .withName("a")
            .edit(
                c -> {
                  c.getMetadata().getLabels().put("team", "web");
                  return c;
                });
    Eventually.await(
        Duration.ofSeconds(10),
        () ->
            version(other.getStore().getByKey("a"))
                    .equals(updated.getMetadata().getResourceVersion())
                && version(state.nodeClaim("a").orElse(null))
                    .equals(updated.getMetadata().getResourceVersion()),
        () -> "both caches saw the update");
    assertThat(other.getStore().getByKey("a")).isSameAs(state.nodeClaim("a").orElseThrow());
    assertThat(other.getStore().getByKey("a").getMetadata().getLabels())
        .containsEntry("team", "web");
    assertThat(other.getStore().getByKey("a").getMetadata().getManagedFields()).isNullOrEmpty();

    client.resources(NodeClaim.class).withName("a").delete();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> other.getStore().getByKey("a") == null && state.nodeClaim("a").isEmpty(),
        () -> "both caches saw the delete");
    assertThat(state.nodeClaimCopies().size()).as("nothing kept for a deleted claim").isZero();
  }

  private void awaitSameVersion(String name) throws InterruptedException {
    Eventually.await(
        Duration.ofSeconds(10),
        () -> {
          NodeClaim a = other.getStore().getByKey(name);
          NodeClaim b = state.nodeClaim(name).orElse(null);
          return a != null && b != null && version(a).equals(version(b));
        },
        () -> "both caches hold " + name);
  }

  private static String version(NodeClaim c) {
    return c == null ? "" : c.getMetadata().getResourceVersion();
  }
}
