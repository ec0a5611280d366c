package dev.dovetail.controllers;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimSpec;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.kube.Conditions;
import dev.dovetail.kube.EmbeddedApiServer;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.operator.Settings;
import dev.dovetail.plugins.simulated.KWOKNodeClass;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An embedded API server, a mutable clock and the whole operator on a simulated cloud, for
 * controller tests; plus builders for the objects they create.
 */
public final class Harness implements AutoCloseable {
  public final EmbeddedApiServer api = EmbeddedApiServer.start();
  public final KubernetesClient client = api.client();
  public final MutableClock clock = MutableClock.startingNow();
  public DovetailOperator dovetail;

  /** Test settings; node repair and spot-to-spot on, so their controllers' tests see them. */
  public static Settings settings() {
    return Settings.defaults()
        .withClusterName("test")
        .withBatch(Duration.ofMillis(100), Duration.ofSeconds(1))
        .withFeatureGates(
            dev.dovetail.operator.FeatureGates.parse(
                "NodeRepair=true,SpotToSpotConsolidation=true"));
  }

  public static Map<String, String> simulated() {
    return Map.of("catalog", "aws", "launchLatency", "30ms", "startupTaintDelay", "30ms");
  }

  public Harness start(CloudProvider provider) {
    return start(provider, settings(), simulated(), DovetailOperator.Listeners.NONE);
  }

  public Harness start(
      CloudProvider provider,
      Settings settings,
      Map<String, String> providerSettings,
      DovetailOperator.Listeners listeners) {
    return start(provider, settings, providerSettings, listeners, o -> o);
  }

  /** As above, with the operator configured (e.g. a short NodeClass resync) before it starts. */
  public Harness start(
      CloudProvider provider,
      Settings settings,
      Map<String, String> providerSettings,
      DovetailOperator.Listeners listeners,
      java.util.function.UnaryOperator<DovetailOperator> configure) {
    createNodeClass();
    dovetail =
        configure
            .apply(
                new DovetailOperator(client, provider, clock, settings, providerSettings, listeners)
                    // fabric8's mock server has no server-side apply
                    .withNodeClaimStatusWriter(
                        dev.dovetail.controllers.nodeclaim.lifecycle.StatusWriter.replace(client)))
            .start();
    return this;
  }

  public void createNodeClass() {
    createNodeClass(client);
  }

  public static void createNodeClass(KubernetesClient client) {
    KWOKNodeClass nodeClass = new KWOKNodeClass();
    nodeClass.setMetadata(new ObjectMetaBuilder().withName("default").build());
    client.resource(nodeClass).createOr(c -> c.update());
  }

  /**
   * Writes {@code Ready=True} on a KWOKNodeClass, as the NodeClass status controller would, for
   * tests that run controllers without the whole operator.
   */
  public static void markNodeClassReady(KubernetesClient client, String name) {
    var resources =
        client.genericKubernetesResources(
            io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.fromResourceType(
                KWOKNodeClass.class));
    var obj = resources.withName(name).get();
    obj.getAdditionalProperties()
        .put(
            "status",
            Map.of(
                "conditions",
                List.of(
                    Map.of(
                        "type", "Ready",
                        "status", "True",
                        "reason", "Ready",
                        "message", "",
                        "lastTransitionTime", java.time.Instant.now().toString()))));
    resources.resource(obj).updateStatus();
  }

  public static NodeSelectorRequirementWithMinValues req(String key, String op, String... values) {
    return new NodeSelectorRequirementWithMinValues(key, op, List.of(values), null);
  }

  public static NodePool nodePool(
      String name, List<NodeSelectorRequirementWithMinValues> requirements) {
    NodePool pool = new NodePool();
    pool.setMetadata(new ObjectMetaBuilder().withName(name).build());
    pool.getSpec().getTemplate().getSpec().setRequirements(requirements);
    pool.getSpec()
        .getTemplate()
        .getSpec()
        .setNodeClassRef(
            new NodeClassReference(KWOKNodeClass.GROUP, KWOKNodeClass.KIND, "default"));
    return pool;
  }

  /** A NodeClaim made by hand (as the provisioner would), on-demand amd64 with 1 cpu. */
  public static NodeClaim nodeClaim(String name, String terminationGracePeriod) {
    NodeClaim claim = new NodeClaim();
    claim.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withLabels(Map.of(WellKnownLabels.NODE_POOL, "default"))
            .build());
    NodeClaimSpec spec = new NodeClaimSpec();
    spec.setRequirements(
        List.of(
            req(WellKnownLabels.CAPACITY_TYPE, "In", "on-demand"),
            req(WellKnownLabels.ARCH, "In", "amd64")));
    NodeClaimSpec.ResourceRequirements resources = new NodeClaimSpec.ResourceRequirements();
    resources.setRequests(Map.of("cpu", new Quantity("1")));
    spec.setResources(resources);
    spec.setNodeClassRef(
        new NodeClassReference(KWOKNodeClass.GROUP, KWOKNodeClass.KIND, "default"));
    spec.setTerminationGracePeriod(terminationGracePeriod);
    claim.setSpec(spec);
    return claim;
  }

  /** A bare Node carrying only its name and the provider ID a NodeClaim is matched by. */
  public static Node node(String name, String providerId) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withProviderID(providerId)
        .endSpec()
        .build();
  }

  /** Creates the claim and waits until it is Initialized; returns it as stored. */
  public NodeClaim launch(NodeClaim claim) throws InterruptedException {
    client.resource(claim).create();
    String name = claim.getMetadata().getName();
    Eventually.await(
        Duration.ofSeconds(30),
        () -> {
          NodeClaim c = client.resources(NodeClaim.class).withName(name).get();
          return c != null
              && c.getStatus() != null
              && Conditions.isTrue(c.getStatus().getConditions(), Karpenter.Conditions.INITIALIZED);
        },
        () -> "NodeClaim " + name + " not initialized");
    return client.resources(NodeClaim.class).withName(name).get();
  }

  /** A pod the scheduler marked unschedulable (what the provisioner picks up). */
  public static Pod pendingPod(String name, String cpu, String memory) {
    return podBuilder(name, cpu, memory)
        .withNewStatus()
        .withPhase("Pending")
        .addNewCondition()
        .withType("PodScheduled")
        .withStatus("False")
        .withReason("Unschedulable")
        .endCondition()
        .endStatus()
        .build();
  }

  /** A running pod bound to a node. */
  public static Pod boundPod(String name, String node, Map<String, String> labels) {
    Pod p = podBuilder(name, "100m", "64Mi").build();
    p.getMetadata().getLabels().putAll(labels);
    p.getSpec().setNodeName(node);
    p.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
    return p;
  }

  public static PodBuilder podBuilder(String name, String cpu, String memory) {
    Map<String, Quantity> requests = new HashMap<>();
    requests.put("cpu", new Quantity(cpu));
    requests.put("memory", new Quantity(memory));
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("pause")
        .withNewResources()
        .withRequests(requests)
        .endResources()
        .endContainer()
        .endSpec();
  }

  public List<NodeClaim> nodeClaims() {
    return client.resources(NodeClaim.class).list().getItems();
  }

  @Override
  public void close() {
    if (dovetail != null) {
      dovetail.close();
    }
    client.close();
    api.close();
  }
}
