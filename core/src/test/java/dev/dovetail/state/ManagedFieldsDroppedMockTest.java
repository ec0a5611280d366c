package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster state caches objects without their managedFields (server-side apply's field sets,
 * which no controller reads), both those listed at the start and those a watch brings later, and
 * its listeners see the cached objects.
 */
class ManagedFieldsDroppedMockTest {
  private final EmbeddedApiServer api = EmbeddedApiServer.start();
  private final KubernetesClient client = api.client();
  private ClusterState state;

  @AfterEach
  void stop() {
    if (state != null) {
      state.close();
    }
    client.close();
    api.close();
  }

  @Test
  void cachedObjectsHaveNoManagedFields() throws Exception {
    client.resource(node("listed")).create();
    state = new ClusterState(client, Clock.systemUTC());
    List<Object> heard = new CopyOnWriteArrayList<>();
    state.addListener(heard::add);
    state.start();
    client.resource(node("watched")).create();
    Eventually.await(
        Duration.ofSeconds(10), () -> state.nodes().size() == 2, () -> "the informer caught up");

    // The server keeps them: only the cache goes without.
    assertThat(client.nodes().withName("watched").get().getMetadata().getManagedFields())
        .hasSize(1);
    for (String name : List.of("listed", "watched")) {
      assertThat(state.node(name).orElseThrow().getMetadata().getManagedFields())
          .as(name)
          .isNullOrEmpty();
    }
    assertThat(heard)
        .filteredOn(Node.class::isInstance)
        .allSatisfy(n -> assertThat(((Node) n).getMetadata().getManagedFields()).isNullOrEmpty());
  }

  private static Node node(String name) {
    FieldsV1 fields = new FieldsV1();
    fields.setAdditionalProperty("f:metadata", Map.of("f:labels", Map.of("f:zone", Map.of())));
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("zone", "a")
        .withManagedFields(
            new ManagedFieldsEntryBuilder()
                .withManager("kubelet")
                .withOperation("Apply")
                .withApiVersion("v1")
                .withFieldsType("FieldsV1")
                .withFieldsV1(fields)
                .build())
        .endMetadata()
        .build();
  }
}
