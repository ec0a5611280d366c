package dev.dovetail.kube;

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

/**
 * An in-process Kubernetes API: fabric8's mock server in CRUD mode, knowing Dovetail's custom
 * resources (cluster-scoped, with a status subresource). It stands in for a real kube-apiserver,
 * which cannot be installed on these machines, in {@code dovetail demo} and in controller tests. It
 * also answers the Eviction API with PodDisruptionBudgets ({@link EvictionDispatcher}), the part of
 * the kube-controller-manager's disruption controller that draining depends on.
 */
public final class EmbeddedApiServer implements AutoCloseable {
  // The mock server logs every request through java.util.logging at INFO; keep a strong
  // reference so the quieter level sticks (JUL holds loggers weakly).
  private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  private final KubernetesMockServer server;

  private EmbeddedApiServer(KubernetesMockServer server) {
    this.server = server;
  }

  /** Starts a server on a free loopback port. */
  public static EmbeddedApiServer start() {
    return start(0);
  }

  public static EmbeddedApiServer start(int port) {
    // Answers the Eviction API with PodDisruptionBudgets, standing in for the disruption
    // controller.
    KubernetesCrudDispatcher dispatcher = new EvictionDispatcher(crdContexts());
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), port);
    return new EmbeddedApiServer(server);
  }

  static List<CustomResourceDefinitionContext> crdContexts() {
    return List.of(
        clusterScoped(Karpenter.GROUP, Karpenter.VERSION, "NodePool", "nodepools"),
        clusterScoped(Karpenter.GROUP, Karpenter.VERSION, "NodeClaim", "nodeclaims"));
  }

  private static CustomResourceDefinitionContext clusterScoped(
      String group, String version, String kind, String plural) {
    return new CustomResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withName(plural + "." + group)
        .withScope("Cluster")
        .withStatusSubresource(true)
        .build();
  }

  /** Teaches the server another custom resource (e.g. a plugin's NodeClass). */
  public void expectCustomResource(
      String group, String version, String kind, String plural, boolean namespaced) {
    server.expectCustomResource(
        new CustomResourceDefinitionContext.Builder()
            .withGroup(group)
            .withVersion(version)
            .withKind(kind)
            .withPlural(plural)
            .withName(plural + "." + group)
            .withScope(namespaced ? "Namespaced" : "Cluster")
            .withStatusSubresource(true)
            .build());
  }

  /** A new client for this server. */
  public KubernetesClient client() {
    return server.createClient();
  }

  public String url() {
    return server.url("/");
  }

  @Override
  public void close() {
    server.destroy();
  }
}
