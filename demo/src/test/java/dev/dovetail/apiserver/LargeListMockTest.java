package dev.dovetail.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A list larger than one piece ({@link Reads#PIECE}) is assembled from several pieces and written
 * piece by piece: the client still reads one whole, ordered list document.
 */
class LargeListMockTest {
  private static final String PADDING = "x".repeat(1000);

  @Test
  void aListOfSeveralPiecesIsOneOrderedDocument() throws Exception {
    ResourceType pods = new ResourceTypes().find("", "v1", "pods").orElseThrow();
    List<StoredObject> objects = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      objects.add(StoredObject.of(pods, pod(i), 100 + i));
    }
    List<byte[]> parts = Reads.listParts(pods, new Store.Page(objects, 5000, "default/pod-2999"));

    assertThat(parts.size()).isBetween(3, 6); // ~3.3 MB in pieces of at most 1 MiB
    assertThat(parts).allSatisfy(p -> assertThat(p.length).isLessThanOrEqualTo(Reads.PIECE));
    JsonNode list = Json.MAPPER.readTree(ApiResponse.parts(200, parts).body());
    assertThat(list.path("metadata").path("resourceVersion").asText()).isEqualTo("5000");
    assertThat(list.path("metadata").path("continue").asText()).isNotEmpty();
    assertThat(list.path("items")).hasSize(3000);
    for (int i = 0; i < 3000; i++) {
      assertThat(list.path("items").get(i).path("metadata").path("name").asText())
          .isEqualTo("pod-" + i);
    }
  }

  @Test
  void aListLargerThanAPieceIsServedWholeOverHttp() throws Exception {
    try (KubeApiServer api = KubeApiServer.start();
        KubernetesClient client = api.client()) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> created = new java.util.ArrayList<>();
      for (int i = 0; i < 1500; i++) {
        int n = i;
        created.add(
            pool.submit(
                () ->
                    client
                        .pods()
                        .inNamespace("default")
                        .resource(Json.MAPPER.treeToValue(pod(n), Pod.class))
                        .create()));
      }
      for (Future<?> f : created) {
        f.get();
      }
      pool.shutdown();

      List<Pod> listed = client.pods().inNamespace("default").list().getItems();

      assertThat(listed).hasSize(1500); // ~1.7 MB: two pieces or more
      assertThat(listed)
          .allSatisfy(p -> assertThat(p.getMetadata().getAnnotations()).containsKey("padding"));
    }
  }

  private static ObjectNode pod(int i) {
    ObjectNode pod = Json.object();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode meta = pod.putObject("metadata");
    meta.put("name", "pod-" + i).put("namespace", "default");
    meta.putObject("annotations").put("padding", PADDING);
    pod.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", "a");
    return pod;
  }
}
