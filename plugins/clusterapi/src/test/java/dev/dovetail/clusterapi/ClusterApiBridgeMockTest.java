package dev.dovetail.clusterapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.capi.Machines;
import dev.dovetail.clusterapi.capi.ReplicaIntents;
import dev.dovetail.clusterapi.machine.MachinePendingException;
import dev.dovetail.clusterapi.v1alpha1.ClusterAPINodeClass;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge against fabric8's mock API server holding CAPI objects, with {@link
 * FakeCapiController} playing CAPI.
 */
class ClusterApiBridgeMockTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Map<String, Node> nodes = new ConcurrentHashMap<>();
  private CapiMockCluster cluster;
  private FakeCapiController capi;
  private final List<ClusterApiCloudProvider> providers = new ArrayList<>();

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

  private final NodeRegistrar registrar =
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

  private ClusterApiCloudProvider provider() {
    return provider(Map.of());
  }

  private ClusterApiCloudProvider provider(Map<String, String> extra) {
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

  private static ClusterAPINodeClass nodeClass() {
    ClusterAPINodeClass nc = new ClusterAPINodeClass();
    nc.setMetadata(new ObjectMetaBuilder().withName("default").build());
    return nc;
  }

  private static final NodePoolInfo POOL = new NodePoolInfo("default", null, Map.of(), null);

  private static NodeClaimView claim(String name, String... types) {
    Requirements reqs =
        types.length == 0
            ? Requirements.none()
            : Requirements.of(Requirement.in(WellKnownLabels.INSTANCE_TYPE, List.of(types)));
    return new NodeClaimView(
        name,
        "default",
        Map.of(WellKnownLabels.NODE_POOL, "default"),
        Map.of(),
        List.of(),
        List.of(),
        reqs,
        Resources.of(Resources.CPU, 1000L),
        null,
        nodeClass(),
        null,
        null);
  }

  private static void await(Duration max, BooleanSupplier ok, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private List<GenericKubernetesResource> claimedMachines() {
    return cluster.machines().stream().filter(m -> Machines.claim(m) != null).toList();
  }

  // ------------------------------------------------------------------ instance types

  @Test
  void oneInstanceTypePerSelectedScalableResourceOfEveryKind() {
    cluster.machineDeployment("md-a", 0, Map.of());
    cluster.scalable(Capi.MACHINE_SET, "ms-b", 0, Map.of());
    cluster.scalable(Capi.MACHINE_POOL, "mp-c", 0, Map.of());
    // A MachineSet its MachineDeployment owns is scaled through the MachineDeployment.
    cluster.scalable(Capi.MACHINE_SET, "md-a-owned", 0, Map.of());
    cluster.edit(
        Capi.MACHINE_SET,
        "md-a-owned",
        o ->
            o.getMetadata()
                .setOwnerReferences(
                    List.of(
                        new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                            .withKind(Capi.MACHINE_DEPLOYMENT)
                            .withName("md-a")
                            .withApiVersion("cluster.x-k8s.io/v1beta1")
                            .withUid("u")
                            .build())));
    List<InstanceType> types = provider().instanceTypes(POOL, nodeClass());
    assertThat(types)
        .extracting(InstanceType::name)
        .containsExactlyInAnyOrder("md-a", "ms-b", "mp-c");
  }

  @Test
  void selectorNamespaceAndClusterNameNarrowTheSelection() {
    cluster.machineDeployment("md-a", 0, Map.of());
    cluster.machineDeployment("md-b", 0, Map.of());
    cluster.edit(Capi.MACHINE_DEPLOYMENT, "md-b", o -> Fields.label(o, "pool", "gpu"));
    ClusterAPINodeClass nc = nodeClass();
    nc.getSpec()
        .setScalableResourceSelector(
            new LabelSelectorBuilder().withMatchLabels(Map.of("pool", "gpu")).build());
    assertThat(provider().instanceTypes(POOL, nc))
        .extracting(InstanceType::name)
        .containsExactly("md-b");
    nc.getSpec().setScalableResourceSelector(null);
    nc.getSpec().setClusterName("another-cluster");
    assertThat(provider().instanceTypes(POOL, nc)).isEmpty();
    nc.getSpec().setClusterName(CapiMockCluster.CLUSTER);
    nc.getSpec().setNamespace("elsewhere");
    assertThat(provider().instanceTypes(POOL, nc)).isEmpty();
  }

  @Test
  void theNamespaceSettingNarrowsNodeClassesThatNameNone() {
    cluster.machineDeployment("md-a", 0, Map.of());
    assertThat(provider(Map.of("namespace", "other")).instanceTypes(POOL, nodeClass())).isEmpty();
    assertThat(provider(Map.of("namespace", CapiMockCluster.NS)).instanceTypes(POOL, nodeClass()))
        .extracting(InstanceType::name)
        .containsExactly("md-a");
  }

  @Test
  void aLongResourceNameBecomesAValidInstanceTypeLabelValue() {
    String longName = "a-very-long-machine-deployment-name-that-exceeds-the-label-value-limit-x";
    cluster.machineDeployment(longName, 0, Map.of());
    String name = provider().instanceTypes(POOL, nodeClass()).get(0).name();
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9_.]*[a-z0-9])?");
    assertThat(name).startsWith("a-very-long");
  }

  @Test
  void capacityRequirementsAndPriceComeFromTheAnnotations() {
    cluster.machineDeployment(
        "gpu",
        0,
        Map.of(
            Capi.GPU_TYPE_ANNOTATION, "nvidia.com/gpu",
            Capi.GPU_COUNT_ANNOTATION, "2",
            Capi.EPHEMERAL_DISK_ANNOTATION, "100Gi",
            Capi.LABELS_ANNOTATION, "karpenter.sh/capacity-type=spot,kubernetes.io/arch=arm64",
            Capi.PRICE_ANNOTATION, "1.25"));
    InstanceType it = provider().instanceTypes(POOL, nodeClass()).get(0);
    assertThat(it.capacity().get(Resources.CPU)).isEqualTo(4000);
    assertThat(it.capacity().get(Resources.MEMORY)).isEqualTo(16L << 30);
    assertThat(it.capacity().get(Resources.NVIDIA_GPU)).isEqualTo(2);
    assertThat(it.capacity().get(Resources.EPHEMERAL_STORAGE)).isEqualTo(100L << 30);
    assertThat(it.capacity().get(Resources.PODS)).isEqualTo(110);
    assertThat(it.offerings())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.zone()).isEqualTo("zone-a");
              assertThat(o.capacityType()).isEqualTo("spot");
              assertThat(o.price()).isEqualTo(1.25);
              assertThat(o.available()).isTrue();
            });
    assertThat(it.requirements().get(WellKnownLabels.ARCH).values()).containsExactly("arm64");
    assertThat(it.requirements().get("node-role.kubernetes.io/worker")).isNotNull();
    // template labels CAPI does not propagate to nodes are not requirements
    assertThat(it.requirements().get("team")).isNull();
  }

  @Test
  void withoutAPriceAnnotationTheDefaultPerVcpuAndGibPrices() {
    cluster.machineDeployment(
        "small", 0, Map.of(Capi.CPU_ANNOTATION, "2", Capi.MEMORY_ANNOTATION, "4Gi"));
    cluster.machineDeployment("big", 0, Map.of(Capi.CURRENT_PRICE_ANNOTATION, "3.5"));
    List<InstanceType> types =
        provider(Map.of("pricePerVcpu", "0.05", "pricePerGib", "0.01"))
            .instanceTypes(POOL, nodeClass());
    Map<String, Double> prices = new HashMap<>();
    types.forEach(t -> prices.put(t.name(), t.offerings().get(0).price()));
    assertThat(prices.get("small"))
        .isCloseTo(2 * 0.05 + 4 * 0.01, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(prices.get("big")).isEqualTo(3.5);
  }

  @Test
  void infrastructureTemplateCapacityIsUsedAndAnnotationsWin() {
    GenericKubernetesResource template = new GenericKubernetesResource();
    template.setApiVersion(CapiMockCluster.INFRA_GROUP + "/v1beta1");
    template.setKind("DockerMachineTemplate");
    template.setMetadata(
        new ObjectMetaBuilder().withName("tpl-infra-v1").withNamespace(CapiMockCluster.NS).build());
    Fields.set(
        template,
        "status.capacity",
        new HashMap<>(Map.of("cpu", "8", "memory", "32Gi", "nvidia.com/gpu", "1")));
    cluster
        .client()
        .genericKubernetesResources(
            dev.dovetail.clusterapi.capi.CapiApi.context(
                CapiMockCluster.INFRA_GROUP, "v1beta1", "DockerMachineTemplate"))
        .inNamespace(CapiMockCluster.NS)
        .resource(template)
        .create();
    Map<String, String> onlyMemory = new HashMap<>();
    onlyMemory.put(Capi.CPU_ANNOTATION, null);
    onlyMemory.put(Capi.MEMORY_ANNOTATION, "64Gi");
    cluster.machineDeployment("tpl", 0, onlyMemory);
    InstanceType it = provider().instanceTypes(POOL, nodeClass()).get(0);
    assertThat(it.capacity().get(Resources.CPU)).isEqualTo(8000);
    assertThat(it.capacity().get(Resources.MEMORY)).isEqualTo(64L << 30);
    assertThat(it.capacity().get(Resources.NVIDIA_GPU)).isEqualTo(1);
  }

  @Test
  void atMaxSizeTheOfferingIsUnavailable() {
    cluster.machineDeployment("full", 2, Map.of(Capi.MAX_SIZE_ANNOTATION, "2"));
    cluster.machineDeployment("room", 1, Map.of(Capi.MAX_SIZE_ANNOTATION, "2"));
    Map<String, Boolean> available = new HashMap<>();
    provider()
        .instanceTypes(POOL, nodeClass())
        .forEach(t -> available.put(t.name(), t.offerings().get(0).available()));
    assertThat(available).containsEntry("full", false).containsEntry("room", true);
  }

  // ------------------------------------------------------------------ NodeClass status

  @Test
  void nodeClassIsReadyWithTheMatchedResources() {
    cluster.machineDeployment("md-a", 3, Map.of());
    NodeClassStatus status = provider().nodeClassStatus(nodeClass()).orElseThrow();
    assertThat(status.isReady()).isTrue();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> matched =
        (List<Map<String, Object>>) status.fields().get("scalableResources");
    assertThat(matched)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m)
                  .containsEntry("kind", "MachineDeployment")
                  .containsEntry("name", "md-a");
              assertThat(m).containsEntry("instanceType", "md-a").containsEntry("replicas", 3);
            });
  }

  @Test
  void nodeClassIsNotReadyWhenTheSelectorMatchesNothing() {
    cluster.machineDeployment("md-a", 0, Map.of());
    ClusterAPINodeClass nc = nodeClass();
    nc.getSpec()
        .setScalableResourceSelector(
            new LabelSelectorBuilder().withMatchLabels(Map.of("no", "match")).build());
    NodeClassStatus status = provider().nodeClassStatus(nc).orElseThrow();
    assertThat(status.isReady()).isFalse();
    assertThat(status.notReadyMessage()).contains("matches no MachineDeployment");
  }

  @Test
  void nodeClassIsNotReadyWhenNoResourceHasCapacity() {
    Map<String, String> none = new HashMap<>();
    none.put(Capi.CPU_ANNOTATION, null);
    none.put(Capi.MEMORY_ANNOTATION, null);
    cluster.machineDeployment("bare", 0, none);
    NodeClassStatus status = provider().nodeClassStatus(nodeClass()).orElseThrow();
    assertThat(status.isReady()).isFalse();
    assertThat(status.notReadyMessage()).contains("bare").contains(Capi.CPU_ANNOTATION);
  }

  // ------------------------------------------------------------------ create / delete

  @Test
  void scaleUpClaimsANewMachineAndReturnsItOnceItHasAProviderId() {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    Instance i = p.create(claim("nc-1", "md"));
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    GenericKubernetesResource m = claimedMachines().get(0);
    assertThat(i.providerId()).isEqualTo(Machines.providerId(m));
    assertThat(i.nodeClaim()).isEqualTo("nc-1");
    assertThat(i.nodePool()).isEqualTo("default");
    assertThat(i.instanceType()).isEqualTo("md");
    assertThat(i.zone()).isEqualTo("zone-a");
    assertThat(i.labels()).containsEntry(Capi.MACHINE_LABEL, m.getMetadata().getName());
    assertThat(Fields.annotations(m)).containsEntry(Capi.NODECLAIM_ANNOTATION, "nc-1");
    assertThat(Fields.labels(m)).containsEntry(Capi.NODECLAIM_LABEL, "nc-1");
    // the reservation is settled
    assertThat(ReplicaIntents.of(cluster.get(Capi.MACHINE_DEPLOYMENT, "md")).pending()).isEmpty();
    assertThat(p.get(i.providerId()).nodeClaim()).isEqualTo("nc-1");
    assertThat(p.list()).extracting(Instance::providerId).containsExactly(i.providerId());
  }

  @Test
  void nodePoolLabelsTheTypeDoesNotDefineDoNotBlockTheLaunchButConflictsDo() {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    NodeClaimView base = claim("nc-1", "md");
    NodeClaimView withPoolLabel =
        new NodeClaimView(
            base.name(),
            base.nodePool(),
            base.labels(),
            base.annotations(),
            base.taints(),
            base.startupTaints(),
            base.requirements().and(Requirement.in("team", "payments")),
            base.requests(),
            null,
            base.nodeClass(),
            null,
            null);
    assertThat(p.create(withPoolLabel).instanceType()).isEqualTo("md");
    NodeClaimView otherZone =
        new NodeClaimView(
            "nc-2",
            base.nodePool(),
            base.labels(),
            base.annotations(),
            base.taints(),
            base.startupTaints(),
            base.requirements().and(Requirement.in(WellKnownLabels.ZONE, "zone-z")),
            base.requests(),
            null,
            base.nodeClass(),
            null,
            null);
    assertThatThrownBy(() -> p.create(otherZone))
        .isInstanceOf(dev.dovetail.cloudprovider.CreateException.class)
        .hasMessageContaining("no selected scalable resource");
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  @Test
  void aFreeMachineIsClaimedWithoutScaling() throws Exception {
    cluster.machineDeployment("md", 1, Map.of());
    await(Duration.ofSeconds(10), () -> cluster.machines().size() == 1, "the existing Machine");
    provider().create(claim("nc-1", "md"));
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    assertThat(capi.created()).isEqualTo(1);
  }

  @Test
  void scaleDownMarksTheMachineAndLowersReplicas() throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    Instance a = p.create(claim("nc-a", "md"));
    Instance b = p.create(claim("nc-b", "md"));
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(2);
    p.delete(a.providerId());
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    await(Duration.ofSeconds(10), () -> cluster.machines().size() == 1, "Machine removal");
    // CAPI removed the annotated Machine, not the other one
    assertThat(Machines.providerId(cluster.machines().get(0))).isEqualTo(b.providerId());
    assertThatThrownBy(() -> p.delete(a.providerId()))
        .isInstanceOf(NodeClaimNotFoundException.class);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  @Test
  void aRepeatedDeleteWhileCapiIsSlowShrinksOnlyOnce() {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider(Map.of());
    Instance a = p.create(claim("nc-a", "md"));
    capi.close(); // CAPI stops acting: the Machine stays
    ClusterApiCloudProvider quick = provider(Map.of("machineWait", "100ms"));
    quick.delete(a.providerId());
    quick.delete(a.providerId());
    quick.delete(a.providerId());
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(0);
    assertThat(Fields.annotations(claimedMachines().get(0)))
        .containsKey(Capi.DELETE_MACHINE_ANNOTATION);
    assertThat(quick.get(a.providerId()).state()).isEqualTo("terminating");
  }

  @Test
  void twoConcurrentBatchesOnOneMachineDeploymentGetDistinctMachines() throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider first = provider();
    ClusterApiCloudProvider second = provider(); // another replica of the controller
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Instance>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String a = "batch1-" + i;
        String b = "batch2-" + i;
        futures.add(pool.submit((Callable<Instance>) () -> retrying(first, claim(a, "md"))));
        futures.add(pool.submit((Callable<Instance>) () -> retrying(second, claim(b, "md"))));
      }
      Set<String> ids = new java.util.HashSet<>();
      for (Future<Instance> f : futures) {
        ids.add(f.get().providerId());
      }
      assertThat(ids).hasSize(8);
    } finally {
      pool.shutdownNow();
    }
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(8);
    assertThat(cluster.machines()).hasSize(8);
    assertThat(claimedMachines()).extracting(Machines::claim).doesNotHaveDuplicates().hasSize(8);
  }

  /** As the core does: create again after a retryable failure. */
  private static Instance retrying(ClusterApiCloudProvider p, NodeClaimView c) {
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

  @Test
  void maxSizeIsRespected() {
    cluster.machineDeployment("md", 0, Map.of(Capi.MAX_SIZE_ANNOTATION, "1"));
    ClusterApiCloudProvider p = provider();
    p.create(claim("nc-1", "md"));
    assertThatThrownBy(() -> p.create(claim("nc-2", "md")))
        .isInstanceOf(InsufficientCapacityException.class)
        .satisfies(
            e ->
                assertThat(((InsufficientCapacityException) e).offerings())
                    .extracting(k -> k.instanceType())
                    .containsExactly("md"));
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  @Test
  void aFullResourceFallsThroughToTheNextOption() {
    cluster.machineDeployment(
        "cheap", 1, Map.of(Capi.MAX_SIZE_ANNOTATION, "1", Capi.PRICE_ANNOTATION, "0.1"));
    cluster.machineDeployment("dear", 0, Map.of(Capi.PRICE_ANNOTATION, "0.9"));
    ClusterApiCloudProvider p = provider();
    // "cheap" already has its one Machine free: the first claim takes it without scaling
    assertThat(p.create(claim("nc-1", "cheap", "dear")).instanceType()).isEqualTo("cheap");
    assertThat(p.create(claim("nc-2", "cheap", "dear")).instanceType()).isEqualTo("dear");
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "cheap")).isEqualTo(1);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "dear")).isEqualTo(1);
  }

  @Test
  void minSizeIsRespectedOnDelete() throws Exception {
    cluster.machineDeployment("md", 0, Map.of(Capi.MIN_SIZE_ANNOTATION, "1"));
    ClusterApiCloudProvider p = provider();
    Instance a = p.create(claim("nc-a", "md"));
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    p.delete(a.providerId());
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    // the Machine itself went; CAPI keeps the minimum with a fresh, unclaimed one
    await(
        Duration.ofSeconds(10),
        () -> cluster.machines().size() == 1 && claimedMachines().isEmpty(),
        "replacement");
    assertThatThrownBy(() -> p.get(a.providerId())).isInstanceOf(NodeClaimNotFoundException.class);
  }

  @Test
  void createIsIdempotentByClaimName() {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    Instance first = p.create(claim("nc-1", "md"));
    Instance again = p.create(claim("nc-1", "md"));
    assertThat(again.providerId()).isEqualTo(first.providerId());
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  @Test
  void aRestartBetweenTheReplicaBumpAndTheClaimDoesNotScaleTwice() throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    capi.assignProviderIds(false);
    capi.close(); // CAPI is slow: no Machine appears before the first process dies
    ClusterApiCloudProvider crashed = provider(Map.of("machineWait", "200ms"));
    assertThatThrownBy(() -> crashed.create(claim("nc-1", "md")))
        .isInstanceOf(MachinePendingException.class);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    crashed.close();
    // a new process (new provider, no memory) retries the same NodeClaim once CAPI caught up
    capi = new FakeCapiController(cluster.api).start();
    Instance i = provider().create(claim("nc-1", "md"));
    assertThat(i.nodeClaim()).isEqualTo("nc-1");
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    assertThat(cluster.machines()).hasSize(1);
  }

  @Test
  void aMachineWithoutProviderIdIsReturnedOnRetryNotReplaced() {
    cluster.machineDeployment("md", 0, Map.of());
    capi.assignProviderIds(false);
    ClusterApiCloudProvider p = provider(Map.of("machineWait", "1s"));
    assertThatThrownBy(() -> p.create(claim("nc-1", "md")))
        .isInstanceOf(MachinePendingException.class)
        .hasMessageContaining("no providerID");
    capi.assignProviderIds(true);
    Instance i = retrying(p, claim("nc-1", "md"));
    assertThat(i.providerId()).startsWith("capi-test:///");
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  @Test
  void aMachineThatNeverGetsAProviderIdIsCleanedUpAfterTheRegistrationTtl() throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    capi.assignProviderIds(false);
    ClusterApiCloudProvider p = provider(Map.of("machineWait", "1s", "registrationTtl", "15m"));
    assertThatThrownBy(() -> p.create(claim("nc-1", "md")))
        .isInstanceOf(MachinePendingException.class);
    assertThat(claimedMachines()).hasSize(1);
    assertThat(p.sweep().releasedMachines()).isEmpty(); // not yet
    clock.advance(Duration.ofMinutes(16));
    assertThat(p.sweep().releasedMachines()).hasSize(1);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(0);
    await(Duration.ofSeconds(10), () -> cluster.machines().isEmpty(), "the stuck Machine removed");
    p.sweep();
    assertThat(ReplicaIntents.of(cluster.get(Capi.MACHINE_DEPLOYMENT, "md")).released()).isEmpty();
  }

  @Test
  void aReservationThatNeverClaimedIsDroppedAndItsReplicaGivenBack() {
    cluster.machineDeployment("md", 0, Map.of());
    capi.close(); // no Machine ever appears
    ClusterApiCloudProvider p = provider(Map.of("machineWait", "100ms"));
    assertThatThrownBy(() -> p.create(claim("nc-1", "md")))
        .isInstanceOf(MachinePendingException.class);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    clock.advance(Duration.ofMinutes(16));
    assertThat(p.sweep().droppedReservations()).containsExactly("nc-1");
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(0);
    assertThat(ReplicaIntents.of(cluster.get(Capi.MACHINE_DEPLOYMENT, "md")))
        .isEqualTo(ReplicaIntents.EMPTY);
  }

  @Test
  void annotatedTaintsAreAppliedToTheNode() {
    cluster.machineDeployment("md", 0, Map.of(Capi.TAINTS_ANNOTATION, "dedicated=gpu:NoSchedule"));
    ClusterApiCloudProvider p = provider();
    Instance i = p.create(claim("nc-1", "md"));
    String nodeName = i.labels().get(Capi.MACHINE_LABEL);
    nodes.put(
        nodeName,
        new NodeBuilder()
            .withNewMetadata()
            .withName(nodeName)
            .endMetadata()
            .withNewSpec()
            .withProviderID(i.providerId())
            .endSpec()
            .build());
    assertThat(p.sweep().tainted()).isEqualTo(1);
    assertThat(nodes.get(nodeName).getSpec().getTaints())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("dedicated");
              assertThat(t.getValue()).isEqualTo("gpu");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
    assertThat(p.sweep().tainted()).isZero(); // already there
  }

  // ------------------------------------------------------------------ drift

  @Test
  void driftIsDetectedWhenTheTemplateChanges() {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    Instance i = p.create(claim("nc-1", "md"));
    NodeClaimView launched = withProviderId(claim("nc-1", "md"), i.providerId());
    assertThat(p.isDrifted(launched)).isEmpty();
    cluster.edit(
        Capi.MACHINE_DEPLOYMENT,
        "md",
        o -> Fields.set(o, "spec.template.spec.infrastructureRef.name", "md-infra-v2"));
    assertThat(p.isDrifted(launched))
        .hasValueSatisfying(r -> assertThat(r).contains("md-infra-v2"));
  }

  @Test
  void driftIsDetectedWhenTheBootstrapTemplateOrVersionChanges() {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    Instance i = p.create(claim("nc-1", "md"));
    NodeClaimView launched = withProviderId(claim("nc-1", "md"), i.providerId());
    cluster.edit(
        Capi.MACHINE_DEPLOYMENT, "md", o -> Fields.set(o, "spec.template.spec.version", "v1.32.0"));
    assertThat(p.isDrifted(launched)).hasValueSatisfying(r -> assertThat(r).contains("v1.32.0"));
    cluster.edit(
        Capi.MACHINE_DEPLOYMENT,
        "md",
        o -> {
          Fields.set(o, "spec.template.spec.version", "v1.31.0");
          Fields.set(o, "spec.template.spec.bootstrap.configRef.name", "md-bootstrap-v2");
        });
    assertThat(p.isDrifted(launched))
        .hasValueSatisfying(r -> assertThat(r).contains("md-bootstrap-v2"));
  }

  @Test
  void aDriftedMachineIsReplacedByAFreshOne() throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    Instance old = p.create(claim("nc-old", "md"));
    cluster.edit(
        Capi.MACHINE_DEPLOYMENT,
        "md",
        o -> Fields.set(o, "spec.template.spec.infrastructureRef.name", "md-infra-v2"));
    assertThat(p.isDrifted(withProviderId(claim("nc-old", "md"), old.providerId()))).isPresent();
    // the core launches the replacement, then deletes the drifted claim
    Instance fresh = p.create(claim("nc-new", "md"));
    assertThat(p.isDrifted(withProviderId(claim("nc-new", "md"), fresh.providerId()))).isEmpty();
    p.delete(old.providerId());
    await(Duration.ofSeconds(10), () -> cluster.machines().size() == 1, "old Machine removed");
    assertThat(Machines.providerId(cluster.machines().get(0))).isEqualTo(fresh.providerId());
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  private static NodeClaimView withProviderId(NodeClaimView c, String providerId) {
    return new NodeClaimView(
        c.name(),
        c.nodePool(),
        c.labels(),
        c.annotations(),
        c.taints(),
        c.startupTaints(),
        c.requirements(),
        c.requests(),
        c.nodeClassRef(),
        c.nodeClass(),
        providerId,
        null);
  }

  // ------------------------------------------------------------------ management cluster

  @Test
  void theManagementClusterComesFromTheKubeconfigSetting(@TempDir Path dir) throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    Path kubeconfig = dir.resolve("management.kubeconfig");
    Files.writeString(kubeconfig, cluster.kubeconfig());
    ClusterApiCloudProvider p = new ClusterApiCloudProvider();
    p.start(
        new ProviderContext(
            "test",
            Map.of(
                "managementKubeconfig",
                kubeconfig.toString(),
                "capiVersion",
                "v1beta1",
                "sweepInterval",
                "0s"),
            clock,
            registrar,
            InterruptionListener.IGNORE));
    providers.add(p);
    assertThat(p.instanceTypes(POOL, nodeClass()))
        .extracting(InstanceType::name)
        .containsExactly("md");
  }

  @Test
  void anUnreadableKubeconfigFailsStartNamingTheSetting(@TempDir Path dir) {
    ClusterApiCloudProvider p = new ClusterApiCloudProvider();
    assertThatThrownBy(
            () ->
                p.start(
                    new ProviderContext(
                        "test",
                        Map.of("managementKubeconfig", dir.resolve("missing").toString()),
                        clock,
                        registrar,
                        InterruptionListener.IGNORE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("managementKubeconfig");
  }

  @Test
  void theApiVersionFallsBackToV1beta1WhenDiscoveryDoesNotServeV1beta2() {
    assertThat(new dev.dovetail.clusterapi.capi.CapiApi(cluster.client()).version())
        .isEqualTo("v1beta1");
  }
}
