package dev.dovetail.controllers.disruption;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimSpec;
import dev.dovetail.apis.v1.NodeClaimStatus;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.cloudprovider.testkit.ReplicaSetPods;
import dev.dovetail.controllers.ControllerContext;
import dev.dovetail.controllers.provisioning.NodePoolHash;
import dev.dovetail.kube.Conditions;
import dev.dovetail.kube.EmbeddedApiServer;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.kube.KubeNodeRegistrar;
import dev.dovetail.plugins.simulated.KWOKNodeClass;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A cluster written straight into the embedded API (no provisioning, no lifecycle controller): a
 * NodePool, Nodes with Initialized NodeClaims priced from the simulated AWS catalog, and pods bound
 * to them, with the disruption controller wired to a movable clock.
 */
public final class FakeCluster implements AutoCloseable {
  public static final String ZONE = "us-east-1a";

  public final MutableClock clock = new MutableClock(Instant.now());
  public final EmbeddedApiServer api = EmbeddedApiServer.start();
  public final KubernetesClient client = api.client();
  public final SimulatedCloud provider;
  public final ClusterState state;
  public final CloudProviderFacade cloud;
  public final EventRecorder events;
  final Map<String, InstanceType> types = new HashMap<>();
  private int seq;
  private dev.dovetail.controllers.nodeclaim.disruption.NodeClaimDisruptionController conditions;

  public FakeCluster() {
    this(new SimulatedCloud());
  }

  /** With a provider the test shapes (e.g. one that reports drift). */
  public FakeCluster(SimulatedCloud provider) {
    this.provider = provider;
    provider.start(
        new ProviderContext(
            "test",
            Map.of("catalog", "aws"),
            clock,
            new KubeNodeRegistrar(client),
            InterruptionListener.IGNORE));
    KWOKNodeClass nodeClass = new KWOKNodeClass();
    nodeClass.setMetadata(new ObjectMetaBuilder().withName("default").build());
    client.resource(nodeClass).create();
    dev.dovetail.controllers.Harness.markNodeClassReady(client, "default");
    state = new ClusterState(client, clock).start();
    cloud =
        new CloudProviderFacade(
            provider, client, new UnavailableOfferings(clock, Duration.ofMinutes(3)));
    events = new EventRecorder(client, clock, Duration.ofMinutes(5));
  }

  public DisruptionController controller(Duration validationDelay) {
    return new DisruptionController(
        new ControllerContext(client, state, cloud, events, clock),
        DisruptionController.Options.DEFAULT
            .withValidationDelay(validationDelay)
            .withPlanner(
                dev.dovetail.controllers.disruption.model.DisruptionPlanner.Options.DEFAULT
                    .withSpotToSpot(true)),
        DisruptionController.DecisionListener.NONE);
  }

  public NodePool pool(String budgetNodes, String... capacityTypes) {
    NodePool pool = new NodePool();
    pool.setMetadata(new ObjectMetaBuilder().withName("default").build());
    pool.getSpec()
        .getTemplate()
        .getSpec()
        .setRequirements(
            List.of(
                new NodeSelectorRequirementWithMinValues(
                    WellKnownLabels.CAPACITY_TYPE, "In", List.of(capacityTypes), null),
                new NodeSelectorRequirementWithMinValues(
                    WellKnownLabels.ZONE, "In", List.of(ZONE), null),
                new NodeSelectorRequirementWithMinValues(
                    "karpenter.k8s.aws/instance-family", "In", List.of("m5", "c5", "r5"), null)));
    pool.getSpec()
        .getTemplate()
        .getSpec()
        .setNodeClassRef(
            new NodeClassReference(KWOKNodeClass.GROUP, KWOKNodeClass.KIND, "default"));
    pool.getSpec().getDisruption().getBudgets().get(0).setNodes(budgetNodes);
    NodePool created = client.resource(pool).create();
    for (InstanceType it : cloud.instanceTypes(created)) {
      types.put(it.name(), it);
    }
    await(() -> state.nodePools().size() == 1, "pool in cache");
    return created;
  }

  public NodePool currentPool() {
    return client.resources(NodePool.class).withName("default").get();
  }

  /** A registered, initialized node of this type with its NodeClaim. */
  public String node(String type, String capacityType) {
    String name = "n" + (seq++);
    InstanceType it = types.get(type);
    String pid = "simulated:///" + ZONE + "/" + name;
    Map<String, String> labels = new HashMap<>();
    labels.put(WellKnownLabels.NODE_POOL, "default");
    labels.put(WellKnownLabels.INSTANCE_TYPE, type);
    labels.put(WellKnownLabels.ZONE, ZONE);
    labels.put(WellKnownLabels.CAPACITY_TYPE, capacityType);
    labels.put(WellKnownLabels.ARCH, "amd64");
    labels.put(WellKnownLabels.OS, "linux");
    labels.put(WellKnownLabels.HOSTNAME, name);
    labels.put("karpenter.k8s.aws/instance-family", type.substring(0, type.indexOf('.')));
    labels.put(WellKnownLabels.INITIALIZED, "true");
    NodePool pool = currentPool();
    NodeClaim claim = new NodeClaim();
    claim.setMetadata(
        new ObjectMetaBuilder()
            .withName("claim-" + name)
            .withLabels(labels)
            .withAnnotations(
                Map.of(
                    Karpenter.NODEPOOL_HASH_ANNOTATION,
                    NodePoolHash.of(pool),
                    Karpenter.NODEPOOL_HASH_VERSION_ANNOTATION,
                    NodePoolHash.VERSION))
            .build());
    NodeClaimSpec spec = new NodeClaimSpec();
    spec.setNodeClassRef(pool.getSpec().getTemplate().getSpec().getNodeClassRef());
    claim.setSpec(spec);
    long before = state.generation();
    NodeClaim created = client.resource(claim).create();
    NodeClaimStatus status = new NodeClaimStatus();
    status.setProviderID(pid);
    status.setNodeName(name);
    Instant init = clock.instant().minus(Duration.ofHours(1));
    Conditions.set(
        status.getConditions(), Karpenter.Conditions.LAUNCHED, true, "Launched", "", null, init);
    Conditions.set(
        status.getConditions(),
        Karpenter.Conditions.REGISTERED,
        true,
        "Registered",
        "",
        null,
        init);
    Conditions.set(
        status.getConditions(),
        Karpenter.Conditions.INITIALIZED,
        true,
        "Initialized",
        "",
        null,
        init);
    created.setStatus(status);
    client.resource(created).updateStatus();
    Map<String, Quantity> alloc = new HashMap<>();
    CloudProviderFacade.quantities(it.allocatable()).forEach(alloc::put);
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withProviderID(pid)
            .endSpec()
            .withNewStatus()
            .withAllocatable(alloc)
            .withCapacity(alloc)
            .withConditions(
                new NodeConditionBuilder()
                    .withType("Ready")
                    .withStatus("True")
                    .withLastTransitionTime(init.toString())
                    .build())
            .endStatus()
            .build();
    client.resource(node).create();
    await(
        () ->
            state.node(name).isPresent()
                && state.nodeClaim("claim-" + name).map(c -> c.getStatus() != null).orElse(false),
        "node " + name + " in cache");
    awaitEvents(before, 3); // the claim's create and status write, the node's create
    return name;
  }

  /** A pod bound to the node, owned by a ReplicaSet unless {@code controlled} is false. */
  public Pod pod(String node, String cpu, boolean controlled, Map<String, String> annotations) {
    String name = "p" + (seq++);
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .withAnnotations(annotations)
            .addToLabels("app", ReplicaSetPods.NAME)
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .addNewContainer()
            .withName("c")
            .withImage("pause")
            .withNewResources()
            .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity("256Mi")))
            .endResources()
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .endStatus();
    if (controlled) {
      b.editMetadata().withOwnerReferences(ReplicaSetPods.owner()).endMetadata();
    }
    long before = state.generation();
    Pod created = client.resource(b.build()).create();
    await(
        () -> state.podsOn(node).stream().anyMatch(p -> p.getMetadata().getName().equals(name)),
        "pod in cache");
    awaitEvents(before, 1);
    return created;
  }

  public Pod pod(String node, String cpu) {
    return pod(node, cpu, true, Map.of());
  }

  public boolean claimExists(String node) {
    return client.resources(NodeClaim.class).withName("claim-" + node).get() != null;
  }

  public List<String> remainingNodes() {
    List<String> out = new ArrayList<>();
    for (NodeClaim c : client.resources(NodeClaim.class).list().getItems()) {
      out.add(c.getMetadata().getName());
    }
    return out;
  }

  public boolean tainted(String node) {
    Node n = client.nodes().withName(node).get();
    return n.getSpec().getTaints() != null
        && n.getSpec().getTaints().stream()
            .anyMatch(t -> Karpenter.DISRUPTED_TAINT_KEY.equals(t.getKey()));
  }

  public List<String> eventReasons() {
    List<String> out = new ArrayList<>();
    for (Event e : client.events().v1().events().inAnyNamespace().list().getItems()) {
      out.add(e.getReason() + ": " + e.getNote());
    }
    return out;
  }

  /** Waits until the cluster state has caught up with what the test wrote. */
  public void await(BooleanSupplier cond, String what) {
    try {
      Eventually.await(Duration.ofSeconds(20), cond, () -> what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the nodeclaim/disruption controller once (it writes Drifted and Consolidatable) and waits
   * until the cache holds what it wrote.
   */
  public void markConditions() {
    if (conditions == null) {
      // one instance: it remembers each node's pods between passes (pod events)
      conditions =
          new dev.dovetail.controllers.nodeclaim.disruption.NodeClaimDisruptionController(
              client,
              state,
              cloud,
              clock,
              dev.dovetail.controllers.nodeclaim.disruption.NodeClaimDisruptionController.Options
                  .DEFAULT);
    }
    long before = state.generation();
    var written = conditions.reconcileOnce();
    awaitEvents(before, written.size());
    for (var w : written) {
      await(
          () ->
              state
                  .nodeClaim(w.name())
                  .map(
                      c ->
                          Long.parseLong(c.getMetadata().getResourceVersion())
                              >= Long.parseLong(w.resourceVersion()))
                  .orElse(true),
          "conditions in cache");
    }
  }

  /**
   * Waits until the cache's listeners have heard of {@code events} more events since {@code
   * before}: the informer updates its store before it tells the handlers, so an object in the store
   * does not yet mean the cluster state's generation moved (which the disruption pass compares).
   */
  public void awaitEvents(long before, int events) {
    await(() -> state.generation() >= before + events, events + " events delivered");
  }

  /** Waits until the cache reflects every NodeClaim in the API (after deletes/creates). */
  public void sync() {
    await(
        () ->
            state.nodeClaims().size() == client.resources(NodeClaim.class).list().getItems().size()
                && state.nodes().size() == client.nodes().list().getItems().size(),
        "cache in sync");
  }

  @Override
  public void close() {
    state.close();
    provider.close();
    client.close();
    api.close();
  }
}
