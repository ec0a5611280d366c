package dev.dovetail.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.EmbeddedApiServer;
import dev.dovetail.plugins.simulated.KWOKNodeClass;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NodeClass lookups of a provisioning pass read the watch-fed {@link NodeClassCache}: repeated
 * readiness and NodeClass lookups for several NodePools send no GET, and the cache follows the
 * NodeClass's status and deletion. Requests are counted on the client the facade uses.
 */
class NodeClassCacheMockTest {
  private final SimulatedCloud cloud = new SimulatedCloud();
  private final List<String> gets = new CopyOnWriteArrayList<>();
  private EmbeddedApiServer api;
  private KubernetesClient admin;
  private KubernetesClient counted;
  private NodeClassCache cache;

  @BeforeEach
  void start() {
    api = EmbeddedApiServer.start();
    admin = api.client();
    Config config =
        new ConfigBuilder(Config.empty()).withMasterUrl(api.url()).withNamespace("default").build();
    counted =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientBuilderConsumer(
                b ->
                    b.addOrReplaceInterceptor(
                        "count-gets",
                        new Interceptor() {
                          @Override
                          public void before(
                              BasicBuilder builder, HttpRequest request, RequestTags tags) {
                            String query = request.uri().getQuery();
                            if ("GET".equals(request.method())
                                && (query == null || !query.contains("watch=true"))) {
                              gets.add(request.uri().getPath());
                            }
                          }
                        }))
            .build();
    Harness.createNodeClass(admin);
    Harness.markNodeClassReady(admin, "default");
    cache = NodeClassCache.start(counted, cloud.supportedNodeClasses());
  }

  @AfterEach
  void stop() {
    cache.close();
    counted.close();
    admin.close();
    api.close();
  }

  private static NodePool pool(String name) {
    return Harness.nodePool(name, List.of());
  }

  private CloudProviderFacade facade(NodeClassCache withCache) {
    return new CloudProviderFacade(
        cloud,
        counted,
        new UnavailableOfferings(Clock.systemUTC(), Duration.ofMinutes(3)),
        withCache);
  }

  /** GETs of one NodeClass by name (the informer's own list and watch are not lookups). */
  private List<String> nodeClassGets() {
    return gets.stream().filter(p -> p.endsWith("/kwoknodeclasses/default")).toList();
  }

  @Test
  void repeatedPassesSendNoNodeClassGet() throws Exception {
    CloudProviderFacade facade = facade(cache);
    NodeClassReference ref =
        new NodeClassReference(KWOKNodeClass.GROUP, KWOKNodeClass.KIND, "default");
    gets.clear();
    for (int pass = 0; pass < 10; pass++) {
      for (String name : List.of("a", "b", "c")) {
        assertThat(facade.nodeClassReadiness(pool(name)).ready()).isTrue();
        assertThat(facade.nodeClass(ref)).containsInstanceOf(KWOKNodeClass.class);
      }
    }
    assertThat(nodeClassGets()).isEmpty();

    // the counter does see GETs: without the cache each lookup is one
    CloudProviderFacade uncached = facade(null);
    assertThat(uncached.nodeClassReadiness(pool("a")).ready()).isTrue();
    assertThat(nodeClassGets()).hasSize(1);
  }

  @Test
  void theCacheFollowsStatusChangesAndDeletion() throws Exception {
    CloudProviderFacade facade = facade(cache);
    var resources =
        admin.genericKubernetesResources(
            io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.fromResourceType(
                KWOKNodeClass.class));
    var obj = resources.withName("default").get();
    obj.getAdditionalProperties()
        .put(
            "status",
            java.util.Map.of(
                "conditions",
                List.of(
                    java.util.Map.of(
                        "type", "Ready",
                        "status", "False",
                        "reason", "SubnetsNotFound",
                        "message", "no subnet matches",
                        "lastTransitionTime", java.time.Instant.now().toString()))));
    resources.resource(obj).updateStatus();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> !facade.nodeClassReadiness(pool("a")).ready(),
        () -> "still ready");
    CloudProviderFacade.NodeClassReadiness notReady = facade.nodeClassReadiness(pool("a"));
    assertThat(notReady.reason()).isEqualTo("NodeClassNotReady");
    assertThat(notReady.message()).contains("no subnet matches");

    resources.withName("default").delete();
    Eventually.await(
        Duration.ofSeconds(10),
        () -> "NodeClassNotFound".equals(facade.nodeClassReadiness(pool("a")).reason()),
        () -> "not seen deleted");
    assertThat(nodeClassGets()).isEmpty();
  }
}
