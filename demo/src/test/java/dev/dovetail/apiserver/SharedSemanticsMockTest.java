package dev.dovetail.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.testkit.Eventually;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * API semantics that both our server and fabric8's mock server (CRUD mode) implement: the same
 * assertions against both show that moving a test from one to the other keeps its meaning.
 */
class SharedSemanticsMockTest {

  static Stream<Supplier<ApiBackend>> backends() {
    return ApiBackend.all().stream();
  }

  private static ConfigMap configMap(String name, Map<String, String> labels) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .withLabels(labels)
        .endMetadata()
        .withData(Map.of("k", "v"))
        .build();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void createAssignsIdentityAndRefusesADuplicate(Supplier<ApiBackend> backend) {
    try (ApiBackend api = backend.get();
        KubernetesClient client = api.client()) {
      ConfigMap created = client.resource(configMap("a", Map.of())).create();
      assertThat(created.getMetadata().getUid()).isNotBlank();
      assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
      assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();
      assertThat(client.configMaps().inNamespace("default").withName("a").get().getData())
          .containsEntry("k", "v");
      assertThatThrownBy(() -> client.resource(configMap("a", Map.of())).create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anUpdateFromAStaleResourceVersionConflicts(Supplier<ApiBackend> backend) {
    try (ApiBackend api = backend.get();
        KubernetesClient client = api.client()) {
      ConfigMap created = client.resource(configMap("a", Map.of())).create();
      ConfigMap first = new ConfigMapBuilder(created).addToData("first", "1").build();
      client.resource(first).update();
      ConfigMap stale = new ConfigMapBuilder(created).addToData("second", "2").build();
      assertThatThrownBy(() -> client.resource(stale).update())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
      assertThat(client.configMaps().inNamespace("default").withName("a").get().getData())
          .containsKey("first")
          .doesNotContainKey("second");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void listsByLabelSelector(Supplier<ApiBackend> backend) {
    try (ApiBackend api = backend.get();
        KubernetesClient client = api.client()) {
      client.resource(configMap("a", Map.of("app", "web", "tier", "front"))).create();
      client.resource(configMap("b", Map.of("app", "web"))).create();
      client.resource(configMap("c", Map.of("app", "db"))).create();
      var inDefault = client.configMaps().inNamespace("default");
      assertThat(names(inDefault.withLabel("app", "web").list().getItems()))
          .containsExactlyInAnyOrder("a", "b");
      assertThat(names(inDefault.withLabel("tier").list().getItems())).containsExactly("a");
      assertThat(names(inDefault.withoutLabel("app", "web").list().getItems()))
          .containsExactly("c");
      // set-based selectors (in, notin) are ours only: the mock server ignores them
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void mergeAndJsonPatchesChangeOnlyWhatTheySay(Supplier<ApiBackend> backend) {
    try (ApiBackend api = backend.get();
        KubernetesClient client = api.client()) {
      client.resource(configMap("a", Map.of("app", "web"))).create();
      var cm = client.configMaps().inNamespace("default").withName("a");
      cm.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"added\":\"yes\"}}");
      cm.patch(
          PatchContext.of(PatchType.JSON),
          "[{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"w\"}]");
      ConfigMap patched = cm.get();
      assertThat(patched.getData()).containsEntry("added", "yes").containsEntry("k", "w");
      assertThat(patched.getMetadata().getLabels()).containsEntry("app", "web");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aWatchSeesAddsChangesAndDeletes(Supplier<ApiBackend> backend) throws Exception {
    try (ApiBackend api = backend.get();
        KubernetesClient client = api.client()) {
      List<String> events = new CopyOnWriteArrayList<>();
      try (Watch w =
          client
              .configMaps()
              .inNamespace("default")
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                      events.add(action + " " + resource.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  })) {
        client.resource(configMap("a", Map.of())).create();
        client
            .configMaps()
            .inNamespace("default")
            .withName("a")
            .edit(c -> new ConfigMapBuilder(c).addToData("x", "y").build());
        client.configMaps().inNamespace("default").withName("a").delete();
        Eventually.await(Duration.ofSeconds(20), () -> events.size() >= 3, events::toString);
        assertThat(events).containsExactly("ADDED a", "MODIFIED a", "DELETED a");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void deleteRemovesTheObject(Supplier<ApiBackend> backend) {
    try (ApiBackend api = backend.get();
        KubernetesClient client = api.client()) {
      client.resource(configMap("a", Map.of())).create();
      client.configMaps().inNamespace("default").withName("a").delete();
      assertThat(client.configMaps().inNamespace("default").withName("a").get()).isNull();
    }
  }

  private static List<String> names(List<ConfigMap> items) {
    return items.stream().map(c -> c.getMetadata().getName()).toList();
  }
}
