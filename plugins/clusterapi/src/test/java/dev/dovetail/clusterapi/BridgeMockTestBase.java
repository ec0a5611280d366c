package dev.dovetail.clusterapi;

import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.cloudprovider.testkit.NodeClaims;
import dev.dovetail.clusterapi.capi.Machines;
import dev.dovetail.clusterapi.machine.MachinePendingException;
import dev.dovetail.clusterapi.v1alpha1.ClusterAPINodeClass;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared fixture of the bridge tests: the bridge against fabric8's mock API server holding CAPI
 * objects, with {@link FakeCapiController} playing CAPI.
 */
abstract class BridgeMockTestBase {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final Map<String, Node> nodes = new ConcurrentHashMap<>();
  CapiMockCluster cluster;
  FakeCapiController capi;
  final List<ClusterApiCloudProvider> providers = new ArrayList<>();

  @BeforeEach
  void start() {
    cluster = new CapiMockCluster();
    capi = new FakeCapiController(cluster.api).start();
  }

  @AfterEach
  void stop() {
    providers.forEach(ClusterApiCloudProvider::close);
    capi.close();
    cluster.close();
  }

  final NodeRegistrar registrar =
      new NodeRegistrar() {
        @Override
        public void register(Node node) {
          nodes.put(node.getMetadata().getName(), node);
        }

        @Override
        public void update(String nodeName, UnaryOperator<Node> change) {
          Node n = nodes.get(nodeName);
          if (n == null) {
            throw new IllegalStateException("no node " + nodeName);
          }
          nodes.put(nodeName, change.apply(n));
        }

        @Override
        public void deregister(String nodeName) {
          nodes.remove(nodeName);
        }
      };

  ClusterApiCloudProvider provider() {
    return provider(Map.of());
  }

  ClusterApiCloudProvider provider(Map<String, String> extra) {
    ClusterApiCloudProvider p = new ClusterApiCloudProvider(cluster.client());
    Map<String, String> settings = new HashMap<>();
    settings.put("capiVersion", "v1beta1");
    settings.put("machineWait", "10s");
    settings.put("sweepInterval", "0s");
    settings.put("cacheTtl", "0s");
    settings.putAll(extra);
    p.start(new ProviderContext("test", settings, clock, registrar, InterruptionListener.IGNORE));
    providers.add(p);
    return p;
  }

  static ClusterAPINodeClass nodeClass() {
    ClusterAPINodeClass nc = new ClusterAPINodeClass();
    nc.setMetadata(new ObjectMetaBuilder().withName("default").build());
    return nc;
  }

  static final NodePoolInfo POOL = new NodePoolInfo("default", null, Map.of(), null);

  static NodeClaimView claim(String name, String... types) {
    Requirements reqs =
        types.length == 0
            ? Requirements.none()
            : Requirements.of(Requirement.in(WellKnownLabels.INSTANCE_TYPE, List.of(types)));
    return NodeClaims.pending(name, reqs, Resources.of(Resources.CPU, 1000L), null, nodeClass());
  }

  List<GenericKubernetesResource> claimedMachines() {
    return cluster.machines().stream().filter(m -> Machines.claim(m) != null).toList();
  }

  /** As the core does: create again after a retryable failure. */
  static Instance retrying(ClusterApiCloudProvider p, NodeClaimView c) {
    for (int attempt = 0; ; attempt++) {
      try {
        return p.create(c);
      } catch (MachinePendingException e) {
        if (attempt > 10) {
          throw e;
        }
      }
    }
  }

  static NodeClaimView withProviderId(NodeClaimView c, String providerId) {
    return NodeClaims.launched(c, providerId, null);
  }
}
