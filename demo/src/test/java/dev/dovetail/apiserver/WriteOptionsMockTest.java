package dev.dovetail.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code dryRun=All} and {@code fieldValidation} on every write, and the OpenAPI documents. */
class WriteOptionsMockTest {
  private KubeApiServer api;
  private KubernetesClient client;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() {
    api = KubeApiServer.start();
    client = api.client();
  }

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  private ConfigMap cm(String name, String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .addToData("k", value)
        .build();
  }

  private ConfigMap stored(String name) {
    return client.configMaps().inNamespace("default").withName(name).get();
  }

  @Test
  void aDryRunCreateAnswersTheObjectAndStoresNothing() {
    ConfigMap answered = client.resource(cm("dry", "v")).dryRun().create();
    assertThat(answered.getData()).isEqualTo(Map.of("k", "v"));
    assertThat(answered.getMetadata().getUid()).isNotEmpty();
    assertThat(stored("dry")).isNull();
    // the checks of a real create still run: a taken name is a conflict
    client.resource(cm("taken", "v")).create();
    assertThatThrownBy(() -> client.resource(cm("taken", "w")).dryRun().create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
  }

  @Test
  void dryRunUpdatesPatchesAndDeletesChangeNothing() {
    ConfigMap created = client.resource(cm("kept", "v")).create();
    String rv = created.getMetadata().getResourceVersion();

    ConfigMap updated = client.resource(cm("kept", "updated")).dryRun().update();
    assertThat(updated.getData()).containsEntry("k", "updated");
    ConfigMap patched =
        client
            .configMaps()
            .inNamespace("default")
            .withName("kept")
            .dryRun()
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"k\":\"patched\"}}");
    assertThat(patched.getData()).containsEntry("k", "patched");
    client.configMaps().inNamespace("default").withName("kept").dryRun().delete();

    ConfigMap now = stored("kept");
    assertThat(now.getData()).containsEntry("k", "v");
    assertThat(now.getMetadata().getResourceVersion()).isEqualTo(rv);
  }

  @Test
  void aDryRunDeleteOfAMissingObjectIsNotFound() throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(
                    URI.create(api.url() + "api/v1/namespaces/default/configmaps/none?dryRun=All"))
                .DELETE());
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void anUnknownDryRunValueIsRefused() throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(
                    URI.create(api.url() + "api/v1/namespaces/default/configmaps?dryRun=Some"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        Json.MAPPER.writeValueAsString(cm("x", "v")))));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("Invalid dry run value");
    assertThat(stored("x")).isNull();
  }

  @Test
  void strictFieldValidationRefusesUnknownFieldsOfACustomResource() throws Exception {
    String pool =
        "{\"apiVersion\":\"karpenter.sh/v1\",\"kind\":\"NodePool\",\"metadata\":{\"name\":\"p\"},"
            + "\"spec\":{\"limitz\":{\"cpu\":\"1\"},\"template\":{\"spec\":{\"requirements\":[],"
            + "\"nodeClassRef\":{\"group\":\"g\",\"kind\":\"K\",\"name\":\"n\"}}}}}";
    String url = api.url() + "apis/karpenter.sh/v1/nodepools";
    HttpResponse<String> strict = post(url + "?fieldValidation=Strict", pool);
    assertThat(strict.statusCode()).as(strict.body()).isEqualTo(400);
    assertThat(strict.body()).contains("unknown field \\\"spec.limitz\\\"");

    HttpResponse<String> warn = post(url + "?fieldValidation=Warn", pool);
    assertThat(warn.statusCode()).as(warn.body()).isEqualTo(201);
    assertThat(warn.headers().firstValue("Warning")).hasValueSatisfying(w -> w.contains("limitz"));
    assertThat(Json.MAPPER.readTree(warn.body()).path("spec").has("limitz")).isFalse();
  }

  @Test
  void openApiV3ListsEachGroupVersionWithFieldValidationOnPatch() throws Exception {
    JsonNode discovery = getJson("openapi/v3");
    String url =
        discovery.path("paths").path("apis/karpenter.sh/v1").path("serverRelativeURL").asText();
    assertThat(url).startsWith("/openapi/v3/apis/karpenter.sh/v1?hash=");
    assertThat(discovery.path("paths").has("api/v1")).isTrue();

    JsonNode doc = getJson(url.substring(1));
    JsonNode patch = doc.path("paths").path("/apis/karpenter.sh/v1/nodepools/{name}").path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("NodePool");
    assertThat(patch.path("parameters").findValuesAsText("name"))
        .contains("fieldValidation", "dryRun");
    // the CRD's own schema, marked with its kind
    JsonNode schema = doc.path("components").path("schemas").path("sh.karpenter.v1.NodePool");
    assertThat(schema.path("properties").path("spec").path("properties").has("limits")).isTrue();
    assertThat(getStatus("openapi/v3/apis/nothere/v1")).isEqualTo(404);
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api.url() + path)).GET());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  private int getStatus(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(api.url() + path)).GET()).statusCode();
  }

  private HttpResponse<String> post(String url, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
