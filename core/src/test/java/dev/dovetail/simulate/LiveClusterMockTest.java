package dev.dovetail.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.kube.EmbeddedApiServer;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code simulate --kubeconfig}: reads a live cluster with GETs only and answers as on files. */
class LiveClusterMockTest {
  @Test
  void readsTheClusterWithoutWritingAndPlansItsPendingPods() {
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        KubernetesClient setup = api.client()) {
      Manifests files =
          Manifests.read(
              List.of(
                  Path.of("src/test/resources/simulate/nodepool.yaml"),
                  Path.of("src/test/resources/simulate/existing.yaml")));
      for (HasMetadata o : files.nodePools()) {
        setup.resource(o).create();
      }
      for (HasMetadata o : files.nodes()) {
        setup.resource(o).create();
      }
      for (HasMetadata o : files.pods()) {
        setup.resource(o).create();
      }
      // A pending pod the scheduler could not place yet.
      setup
          .resource(
              WorkloadPods.expand(
                      Manifests.read(List.of(Path.of("src/test/resources/simulate/inflate.yaml"))))
                  .get(0))
          .create();

      List<String> methods = new CopyOnWriteArrayList<>();
      Interceptor recorder =
          new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
              methods.add(request.method() + " " + request.uri().getPath());
            }
          };
      SimulatedCloud cloud = SimulatedClouds.started("aws");
      try (KubernetesClient reader =
          new KubernetesClientBuilder()
              .withConfig(setup.getConfiguration())
              .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("record", recorder))
              .build()) {
        Manifests live = LiveCluster.read(reader, cloud.supportedNodeClasses());
        assertThat(live.nodes()).hasSize(2);
        assertThat(live.nodePools()).hasSize(1);
        assertThat(live.pods()).hasSize(3);

        SimulationReport r = new Simulator(cloud, Instant.now()).provision(live);
        assertThat(r.pods())
            .singleElement()
            .satisfies(p -> assertThat(p.node()).startsWith("ip-10-0-1-"));
        SimulationReport c = new Questions(new Simulator(cloud, Instant.now())).consolidate(live);
        assertThat(c.kept().size() + c.removals().size()).isEqualTo(2);
      } finally {
        cloud.close();
      }
      assertThat(methods).isNotEmpty().allSatisfy(m -> assertThat(m).startsWith("GET "));
    }
  }
}
