package dev.dovetail.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Server-side apply with field ownership: managedFields, conflicts, force, removal. */
class ServerSideApplyMockTest {
  private final KubeApiServer api = KubeApiServer.start();
  private final KubernetesClient client = api.client();

  @AfterEach
  void close() {
    client.close();
    api.close();
  }

  private ConfigMap apply(String manager, boolean force, Map<String, String> data) {
    ConfigMap config =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("cm")
            .withNamespace("default")
            .endMetadata()
            .withData(data)
            .build();
    return client
        .configMaps()
        .inNamespace("default")
        .withName("cm")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(manager)
                .withForce(force)
                .build(),
            config);
  }

  private ConfigMap read() {
    return client.configMaps().inNamespace("default").withName("cm").get();
  }

  private static Map<String, String> owners(ConfigMap cm) {
    return cm.getMetadata().getManagedFields().stream()
        .collect(
            Collectors.toMap(
                ManagedFieldsEntry::getManager, e -> e.getFieldsV1().toString(), (a, b) -> a));
  }

  @Test
  void anApplyRecordsItsManagerAndTheFieldsItSet() {
    apply("alice", false, Map.of("x", "1"));
    ConfigMap cm = read();
    assertThat(cm.getData()).containsEntry("x", "1");
    List<ManagedFieldsEntry> managed = cm.getMetadata().getManagedFields();
    assertThat(managed).hasSize(1);
    assertThat(managed.get(0).getManager()).isEqualTo("alice");
    assertThat(managed.get(0).getOperation()).isEqualTo("Apply");
    assertThat(managed.get(0).getFieldsV1().getAdditionalProperties())
        .containsKey("f:data")
        .doesNotContainKey("f:metadata"); // name and namespace are the server's
  }

  @Test
  void anotherManagerSettingAnOwnedFieldConflictsUnlessForced() {
    apply("alice", false, Map.of("x", "1"));
    assertThatThrownBy(() -> apply("bob", false, Map.of("x", "2")))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409))
        .hasMessageContaining("alice")
        .hasMessageContaining(".data.x");
    assertThat(read().getData()).containsEntry("x", "1");

    // the same value is no conflict: both own it
    apply("carol", false, Map.of("x", "1"));

    apply("bob", true, Map.of("x", "2"));
    ConfigMap cm = read();
    assertThat(cm.getData()).containsEntry("x", "2");
    assertThat(owners(cm).get("bob")).contains("f:x");
    assertThat(owners(cm).getOrDefault("alice", "")).doesNotContain("f:x");
    assertThat(owners(cm).getOrDefault("carol", "")).doesNotContain("f:x");
  }

  @Test
  void anApplyRemovesTheFieldsItOwnedAndNoLongerSetsUnlessSomeoneElseOwnsThem() {
    apply("alice", false, Map.of("x", "1", "y", "1", "z", "1"));
    apply("bob", false, Map.of("z", "1"));
    apply("alice", false, Map.of("x", "1"));
    assertThat(read().getData()).containsOnlyKeys("x", "z");
  }

  @Test
  void anUpdateTakesTheFieldsItChangesSoTheApplierConflictsOnThem() {
    apply("alice", false, Map.of("x", "1"));
    client
        .configMaps()
        .inNamespace("default")
        .withName("cm")
        .edit(cm -> new ConfigMapBuilder(cm).addToData("x", "edited").build());
    ConfigMap cm = read();
    assertThat(cm.getMetadata().getManagedFields())
        .anySatisfy(
            e -> {
              assertThat(e.getOperation()).isEqualTo("Update");
              assertThat(e.getFieldsV1().toString()).contains("f:x");
            });
    assertThatThrownBy(() -> apply("alice", false, Map.of("x", "1")))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
    // an apply that changes nothing keeps the resourceVersion
    apply("alice", true, Map.of("x", "1"));
    String rv = read().getMetadata().getResourceVersion();
    apply("alice", true, Map.of("x", "1"));
    assertThat(read().getMetadata().getResourceVersion()).isEqualTo(rv);
  }

  @Test
  void anApplyWithoutAFieldManagerIsRefused() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var response =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(api.url() + "api/v1/namespaces/default/configmaps/cm"))
                .method(
                    "PATCH",
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\"}}"))
                .header("Content-Type", "application/apply-patch+yaml")
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("fieldManager is required");
  }

  private void applyStatus(String manager, String rv, PodCondition... conditions) {
    Pod config =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withNamespace("default")
            .withResourceVersion(rv)
            .endMetadata()
            .withNewStatus()
            .withConditions(conditions)
            .endStatus()
            .build();
    client
        .pods()
        .inNamespace("default")
        .withName("p")
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(manager)
                .withForce(true)
                .build(),
            config);
  }

  private static PodCondition condition(String type, String status) {
    return new PodConditionBuilder().withType(type).withStatus(status).build();
  }

  @Test
  void statusAppliesKeepOthersConditionsAndConcurrentMetadataAndHonourTheResourceVersion() {
    client.resource(KubeApiServerSemanticsMockTest.pod("p", Map.of())).create();
    applyStatus("kubelet", null, condition("Ready", "False"), condition("Extra", "True"));
    String read =
        client.pods().inNamespace("default").withName("p").get().getMetadata().getResourceVersion();
    // someone labels the pod meanwhile: a status apply from the copy read before must not undo it
    client
        .pods()
        .inNamespace("default")
        .withName("p")
        .edit(p -> new PodBuilder(p).editMetadata().addToLabels("l", "v").endMetadata().build());
    assertThatThrownBy(() -> applyStatus("controller", read, condition("Custom", "True")))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
    applyStatus("controller", null, condition("Custom", "True"));
    // kubelet stops setting Extra: its condition goes, the controller's stays
    applyStatus("kubelet", null, condition("Ready", "True"));
    Pod p = client.pods().inNamespace("default").withName("p").get();
    assertThat(p.getMetadata().getLabels()).containsEntry("l", "v");
    assertThat(p.getSpec().getContainers()).hasSize(1);
    assertThat(p.getStatus().getConditions())
        .extracting(PodCondition::getType, PodCondition::getStatus)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Ready", "True"),
            org.assertj.core.groups.Tuple.tuple("Custom", "True"));
    assertThat(p.getMetadata().getManagedFields())
        .anySatisfy(e -> assertThat(e.getSubresource()).isEqualTo("status"));
  }
}
