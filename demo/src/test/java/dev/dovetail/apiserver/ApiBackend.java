package dev.dovetail.apiserver;

import dev.dovetail.apis.v1.Karpenter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.function.Supplier;

/** An API server the shared semantics tests run against: ours, or fabric8's mock in CRUD mode. */
interface ApiBackend extends AutoCloseable {
  KubernetesClient client();

  @Override
  void close();

  static List<Supplier<ApiBackend>> all() {
    return List.of(ApiBackend::ours, ApiBackend::fabric8Mock);
  }

  static ApiBackend ours() {
    KubeApiServer server = KubeApiServer.start();
    return new ApiBackend() {
      @Override
      public KubernetesClient client() {
        return server.client();
      }

      @Override
      public void close() {
        server.close();
      }

      @Override
      public String toString() {
        return "KubeApiServer";
      }
    };
  }

  static ApiBackend fabric8Mock() {
    List<CustomResourceDefinitionContext> crds =
        List.of(
            new CustomResourceDefinitionContext.Builder()
                .withGroup(Karpenter.GROUP)
                .withVersion(Karpenter.VERSION)
                .withKind("NodePool")
                .withPlural("nodepools")
                .withScope("Cluster")
                .withStatusSubresource(true)
                .build());
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(crds),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return new ApiBackend() {
      @Override
      public KubernetesClient client() {
        return server.createClient();
      }

      @Override
      public void close() {
        server.destroy();
      }

      @Override
      public String toString() {
        return "fabric8 mock server";
      }
    };
  }
}
