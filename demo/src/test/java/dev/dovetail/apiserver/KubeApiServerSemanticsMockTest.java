package dev.dovetail.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.testkit.Eventually;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** API semantics of our server beyond what fabric8's mock server models. */
class KubeApiServerSemanticsMockTest {
  private final KubeApiServer api = KubeApiServer.builder().watchHistory(50).start();
  private final KubernetesClient client = api.client();

  @AfterEach
  void close() {
    client.close();
    api.close();
  }

  static Pod pod(String name, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("app:1")
        .endContainer()
        .endSpec()
        .build();
  }

  private void bind(String pod, String node) {
    client
        .resource(
            new io.fabric8.kubernetes.api.model.BindingBuilder()
                .withNewMetadata()
                .withName(pod)
                .withNamespace("default")
                .endMetadata()
                .withNewTarget()
                .withKind("Node")
                .withName(node)
                .endTarget()
                .build())
        .create();
  }

  @Test
  void aFinalizerHoldsADeletionUntilItIsRemoved() {
    ConfigMap cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("held")
            .withNamespace("default")
            .addToFinalizers("example.com/hold")
            .endMetadata()
            .build();
    client.resource(cm).create();
    var ref = client.configMaps().inNamespace("default").withName("held");
    ref.delete();
    ConfigMap marked = ref.get();
    assertThat(marked.getMetadata().getDeletionTimestamp()).isNotBlank();
    assertThatThrownBy(
            () ->
                ref.edit(
                    c -> {
                      c.getMetadata().getFinalizers().add("example.com/late");
                      return c;
                    }))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    ref.edit(
        c -> {
          c.getMetadata().setFinalizers(List.of());
          return c;
        });
    assertThat(ref.get()).isNull();
  }

  @Test
  void deletingAnOwnerCollectsItsDependentsInTheBackground() throws Exception {
    ConfigMap owner = client.resource(configMap("owner")).create();
    ConfigMap other = client.resource(configMap("other-owner")).create();
    client.resource(dependent("dep", owner)).create();
    client.resource(dependent("shared", owner, other)).create();
    client.configMaps().inNamespace("default").withName("owner").delete();
    var dep = client.configMaps().inNamespace("default").withName("dep");
    Eventually.await(Duration.ofSeconds(10), () -> dep.get() == null, () -> "dep still there");
    assertThat(client.configMaps().inNamespace("default").withName("shared").get())
        .as("a dependent with a live owner stays")
        .isNotNull();
  }

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .build();
  }

  private static ConfigMap dependent(String name, ConfigMap... owners) {
    ConfigMapBuilder b = new ConfigMapBuilder(configMap(name));
    for (ConfigMap o : owners) {
      b.editMetadata()
          .addNewOwnerReference()
          .withApiVersion("v1")
          .withKind("ConfigMap")
          .withName(o.getMetadata().getName())
          .withUid(o.getMetadata().getUid())
          .endOwnerReference()
          .endMetadata();
    }
    return b.build();
  }

  @Test
  void fieldSelectorsOnNodeNameNameAndPhase() {
    client.resource(pod("a", Map.of())).create();
    client.resource(pod("b", Map.of())).create();
    client.resource(pod("c", Map.of())).create();
    bind("a", "n1");
    bind("b", "n2");
    var pods = client.pods().inNamespace("default");
    assertThat(names(pods.withField("spec.nodeName", "n1").list().getItems())).containsExactly("a");
    assertThat(names(pods.withField("spec.nodeName", "").list().getItems())).containsExactly("c");
    assertThat(names(pods.withField("metadata.name", "b").list().getItems())).containsExactly("b");
    assertThat(
            names(
                client
                    .pods()
                    .inAnyNamespace()
                    .withField("status.phase", "Pending")
                    .list()
                    .getItems()))
        .containsExactlyInAnyOrder("a", "b", "c");
    assertThat(names(pods.withoutField("spec.nodeName", "n1").list().getItems()))
        .containsExactlyInAnyOrder("b", "c");
  }

  @Test
  void setBasedLabelSelectors() {
    client.resource(pod("a", Map.of("app", "web"))).create();
    client.resource(pod("b", Map.of("app", "db"))).create();
    client.resource(pod("c", Map.of())).create();
    var pods = client.pods().inNamespace("default");
    assertThat(names(pods.withLabelIn("app", "db", "cache").list().getItems()))
        .containsExactly("b");
    assertThat(names(pods.withLabelNotIn("app", "db").list().getItems()))
        .containsExactlyInAnyOrder("a", "c");
    assertThat(names(pods.withoutLabel("app").list().getItems())).containsExactly("c");
  }

  @Test
  void aBoundPodCannotBeRebound() {
    client.resource(pod("a", Map.of())).create();
    bind("a", "n1");
    assertThatThrownBy(() -> bind("a", "n2"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    Pod a = client.pods().inNamespace("default").withName("a").get();
    assertThat(a.getSpec().getNodeName()).isEqualTo("n1");
    assertThat(a.getStatus().getConditions())
        .anySatisfy(
            c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("PodScheduled=True"));
  }

  @Test
  void pagesCoverEveryObjectOnce() {
    for (int i = 0; i < 25; i++) {
      client.resource(configMap("cm-" + i)).create();
    }
    Set<String> seen = new HashSet<>();
    String cont = null;
    int pages = 0;
    do {
      var list =
          client
              .configMaps()
              .inNamespace("default")
              .list(
                  new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                      .withLimit(10L)
                      .withContinue(cont)
                      .build());
      list.getItems().forEach(c -> assertThat(seen.add(c.getMetadata().getName())).isTrue());
      cont = list.getMetadata().getContinue();
      pages++;
    } while (cont != null && !cont.isEmpty());
    assertThat(seen).hasSize(25);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void statusSubresourceAndGeneration() {
    client.resource(pod("a", Map.of())).create();
    var ref = client.pods().inNamespace("default").withName("a");
    long generation = ref.get().getMetadata().getGeneration();
    // a write to the main resource does not change status
    ref.edit(
        p -> {
          p.getMetadata().getLabels().put("x", "y");
          p.getStatus().setPhase("Running");
          return p;
        });
    Pod afterMain = ref.get();
    assertThat(afterMain.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(afterMain.getMetadata().getGeneration()).isEqualTo(generation);
    // a write to /status changes only status
    ref.editStatus(
        p -> {
          p.getStatus().setPhase("Running");
          p.getMetadata().getLabels().put("ignored", "yes");
          return p;
        });
    Pod afterStatus = ref.get();
    assertThat(afterStatus.getStatus().getPhase()).isEqualTo("Running");
    assertThat(afterStatus.getMetadata().getLabels()).doesNotContainKey("ignored");
    // a spec change bumps the generation
    ref.edit(
        p -> {
          p.getSpec().setActiveDeadlineSeconds(30L);
          return p;
        });
    assertThat(ref.get().getMetadata().getGeneration()).isEqualTo(generation + 1);
  }

  @Test
  void strategicMergePatchMergesContainersByName() {
    Pod p = pod("a", Map.of());
    p.getSpec()
        .getContainers()
        .add(
            new io.fabric8.kubernetes.api.model.ContainerBuilder()
                .withName("side")
                .withImage("side:1")
                .build());
    client.resource(p).create();
    client
        .pods()
        .inNamespace("default")
        .withName("a")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            "{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"side:2\"}]}}");
    Pod patched = client.pods().inNamespace("default").withName("a").get();
    assertThat(patched.getSpec().getContainers())
        .extracting(c -> c.getName() + "=" + c.getImage())
        .containsExactly("app=app:1", "side=side:2");
  }

  @Test
  void serverSideApplyOfStatusAsJosdkSendsIt() {
    client.resource(pod("a", Map.of())).create();
    Pod applied =
        new PodBuilder()
            .withNewMetadata()
            .withName("a")
            .withNamespace("default")
            .endMetadata()
            .withNewStatus()
            .withPhase("Running")
            .withMessage("applied")
            .endStatus()
            .build();
    client
        .pods()
        .inNamespace("default")
        .withName("a")
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withForce(true)
                .withFieldManager("test")
                .build(),
            applied);
    Pod a = client.pods().inNamespace("default").withName("a").get();
    assertThat(a.getStatus().getPhase()).isEqualTo("Running");
    assertThat(a.getStatus().getMessage()).isEqualTo("applied");
    assertThat(a.getSpec().getContainers()).hasSize(1);
  }

  @Test
  void anEvictionWithAUidPreconditionSparesASuccessorOfTheSameName() throws Exception {
    Pod first = client.resource(pod("s-0", Map.of("app", "db"))).create();
    client.resource(first).withGracePeriod(0).delete();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> client.pods().inNamespace("default").withName("s-0").get() == null,
        () -> "s-0 not deleted");
    Pod successor = client.resource(pod("s-0", Map.of("app", "db"))).create();
    var stale =
        new io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder()
            .withNewMetadata()
            .withName("s-0")
            .withNamespace("default")
            .endMetadata()
            .withDeleteOptions(
                new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder()
                    .withNewPreconditions()
                    .withUid(first.getMetadata().getUid())
                    .endPreconditions()
                    .build())
            .build();

    assertThatThrownBy(() -> client.pods().inNamespace("default").withName("s-0").evict(stale))
        .isInstanceOfSatisfying(
            io.fabric8.kubernetes.client.KubernetesClientException.class,
            e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.pods().inNamespace("default").withName("s-0").get().getMetadata().getUid())
        .isEqualTo(successor.getMetadata().getUid());

    stale.getDeleteOptions().getPreconditions().setUid(successor.getMetadata().getUid());
    assertThat(client.pods().inNamespace("default").withName("s-0").evict(stale)).isTrue();
    assertThat(client.pods().inNamespace("default").withName("s-0").get()).isNull();
  }

  @Test
  void evictionRespectsDisruptionBudgetsAndTheirStatusIsKept() throws Exception {
    for (String name : List.of("a", "b", "c")) {
      client.resource(pod(name, Map.of("app", "web"))).create();
      bind(name, "n1");
    }
    PodDisruptionBudget pdb =
        new PodDisruptionBudgetBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withMinAvailable(new IntOrString(2))
            .withNewSelector()
            .addToMatchLabels("app", "web")
            .endSelector()
            .endSpec()
            .build();
    client.resource(pdb).create();
    var budget = client.policy().v1().podDisruptionBudget().inNamespace("default").withName("web");
    Eventually.await(
        Duration.ofSeconds(10),
        () ->
            budget.get().getStatus() != null
                && budget.get().getStatus().getExpectedPods() != null
                && budget.get().getStatus().getExpectedPods() == 3,
        () -> String.valueOf(budget.get().getStatus()));
    assertThat(budget.get().getStatus().getDisruptionsAllowed()).isEqualTo(1);
    assertThat(budget.get().getStatus().getDesiredHealthy()).isEqualTo(2);
    assertThat(budget.get().getStatus().getCurrentHealthy()).isEqualTo(3);

    assertThat(client.pods().inNamespace("default").withName("a").evict()).isTrue();
    assertThat(client.pods().inNamespace("default").withName("a").get()).isNull();
    // fabric8 answers false when the API refuses the eviction (429)
    assertThat(client.pods().inNamespace("default").withName("b").evict()).isFalse();
    assertThat(client.pods().inNamespace("default").withName("b").get()).isNotNull();
    Eventually.await(
        Duration.ofSeconds(10),
        () ->
            budget.get().getStatus().getDisruptionsAllowed() == 0
                && budget.get().getStatus().getExpectedPods() == 2,
        () -> String.valueOf(budget.get().getStatus()));
  }

  @Test
  void crdSchemaDefaultsAndValidationApply() {
    String pool =
        "{\"apiVersion\":\"karpenter.sh/v1\",\"kind\":\"NodePool\",\"metadata\":{\"name\":\"p\"},"
            + "\"spec\":{\"template\":{\"spec\":{\"nodeClassRef\":{\"group\":\"karpenter.kwok.sh\","
            + "\"kind\":\"KWOKNodeClass\",\"name\":\"default\"},\"requirements\":[]}},\"unknownField\":1}}";
    var created =
        client
            .genericKubernetesResources("karpenter.sh/v1", "NodePool")
            .resource(
                io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                    pool, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
            .create();
    Map<String, Object> spec = (Map<String, Object>) created.getAdditionalProperties().get("spec");
    assertThat(spec).as("unknown fields are pruned").doesNotContainKey("unknownField");
    assertThat(spec).as("defaults are applied").containsKey("disruption");
    String invalid =
        pool.replace("\"name\":\"p\"", "\"name\":\"q\"")
            .replace(
                "\"requirements\":[]",
                "\"requirements\":[{\"key\":\"k\",\"operator\":\"Sideways\"}]");
    assertThatThrownBy(
            () ->
                client
                    .genericKubernetesResources("karpenter.sh/v1", "NodePool")
                    .resource(
                        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                            invalid,
                            io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains("operator");
            });
  }

  @Test
  void aWatchResumesFromAResourceVersionAndAnOldOneIsGone() throws Exception {
    ConfigMap first = client.resource(configMap("first")).create();
    String from = first.getMetadata().getResourceVersion();
    client.resource(configMap("second")).create();
    client.resource(configMap("third")).create();
    List<String> lines =
        watchLines("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + from, 2);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\"type\":\"ADDED\"").contains("\"name\":\"second\"");
    assertThat(lines.get(1)).contains("\"name\":\"third\"");
    // push the first events out of the 50 kept
    for (int i = 0; i < 60; i++) {
      client.resource(configMap("filler-" + i)).create();
    }
    List<String> gone =
        watchLines("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + from, 1);
    assertThat(gone.get(0)).contains("\"type\":\"ERROR\"").contains("\"code\":410");
  }

  @Test
  void injectedFaultsAnswerWithTheirCode() {
    api.faults().seed(1).error("create", "configmaps", 1.0, 500);
    assertThatThrownBy(() -> client.resource(configMap("x")).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(500));
    api.faults().clear();
    assertThat(client.resource(configMap("x")).create()).isNotNull();
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aDroppedWatchEndsItsStream() throws Exception {
    api.faults().dropWatches(1.0, Duration.ofMillis(300));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(api.url() + "api/v1/namespaces/default/configmaps?watch=true"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      // the server ends the stream; a client then re-watches from its last resourceVersion
      assertThat(body.readAllBytes()).isEmpty();
    }
  }

  private List<String> watchLines(String path, int count) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(api.url() + path.substring(1)))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    List<String> out = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String line;
      while (out.size() < count && (line = reader.readLine()) != null) {
        if (!line.contains("BOOKMARK")) {
          out.add(line);
        }
      }
    }
    return out;
  }

  private static List<String> names(
      List<? extends io.fabric8.kubernetes.api.model.HasMetadata> items) {
    return items.stream().map(c -> c.getMetadata().getName()).toList();
  }
}
