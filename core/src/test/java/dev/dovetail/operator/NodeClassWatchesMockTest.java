package dev.dovetail.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.EmbeddedApiServer;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The operator watches each NodeClass kind once: the NodeClass status controller and the NodeClass
 * cache of provisioning share one informer. Watch requests are counted on the operator's client.
 */
class NodeClassWatchesMockTest {
  @Test
  void eachNodeClassKindIsWatchedOnceAndTheStatusControllerStillWritesReady() throws Exception {
    List<String> watches = new CopyOnWriteArrayList<>();
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        KubernetesClient admin = api.client();
        KubernetesClient counted = countingWatches(api, watches)) {
      Harness.createNodeClass(admin);
      try (DovetailOperator op =
          new DovetailOperator(
                  counted,
                  new SimulatedCloud(),
                  Clock.systemUTC(),
                  Harness.settings(),
                  Harness.simulated(),
                  DovetailOperator.Listeners.NONE)
              .start()) {
        // the status controller, reading the shared informer, resolves the NodeClass
        Eventually.await(
            Duration.ofSeconds(20),
            () -> ready(admin),
            () -> "KWOKNodeClass default never became Ready");
        assertThat(watches.stream().filter(p -> p.endsWith("/kwoknodeclasses")).toList())
            .as("watch requests for KWOKNodeClasses: %s", watches)
            .hasSize(1);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static boolean ready(KubernetesClient admin) {
    var obj =
        admin
            .genericKubernetesResources(
                io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.fromResourceType(
                    dev.dovetail.plugins.simulated.KWOKNodeClass.class))
            .withName("default")
            .get();
    Object status = obj == null ? null : obj.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> m) || !(m.get("conditions") instanceof List<?> list)) {
      return false;
    }
    return list.stream()
        .map(c -> (Map<String, Object>) c)
        .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
  }

  private static KubernetesClient countingWatches(EmbeddedApiServer api, List<String> watches) {
    Config config =
        new ConfigBuilder(Config.empty()).withMasterUrl(api.url()).withNamespace("default").build();
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientBuilderConsumer(
            b ->
                b.addOrReplaceInterceptor(
                    "count-watches",
                    new Interceptor() {
                      @Override
                      public void before(
                          BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        String query = request.uri().getQuery();
                        if (query != null && query.contains("watch=true")) {
                          watches.add(request.uri().getPath());
                        }
                      }
                    }))
        .build();
  }
}
