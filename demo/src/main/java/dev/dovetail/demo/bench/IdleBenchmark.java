package dev.dovetail.demo.bench;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimSpec;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.provisioning.NodePoolHash;
import dev.dovetail.demo.DemoCluster;
import dev.dovetail.kube.Conditions;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The controllers' CPU when there is nothing to do, on a large cluster built without provisioning
 * it first: the operator as {@code dovetail run} starts it (default settings, metrics refreshed) on
 * the embedded API server and a provider at zero launch latency; N NodeClaims are created as the
 * provisioner would write them (NodePool hash, owner, requests of their pods), launched and
 * initialized by the operator's own lifecycle controller (so each is backed by a provider instance
 * and a Ready Node); the pods are created already bound to their nodes right after the claims. Once
 * every NodeClaim is initialized, every pod is in the cache and a settle period has passed, the CPU
 * of the controllers' threads is measured over the idle window (ThreadMXBean, apart from the API
 * server's and the JVM's own).
 */
public final class IdleBenchmark {
  /** What to build and how long to watch it. */
  public record Options(
      int nodes,
      int pods,
      String catalog,
      String consolidationPolicy,
      Duration timeout,
      Duration settle,
      Duration idle) {}

  /**
   * The figures.
   *
   * @param secondsToReady from the first NodeClaim create until every NodeClaim was initialized and
   *     every pod was in the controllers' cache
   * @param idleCpuPercent the controllers' threads over the idle window, % of one core
   * @param nodeClaimsCreatedWhileIdle NodeClaims that appeared during the window (0 when idle)
   * @param nodeClaimsDeletedWhileIdle NodeClaims that went away during the window (0 when idle)
   * @param clusterEventsWhileIdle informer events the controllers' cache saw during the window
   *     (what makes the event-driven skips plan or walk again)
   * @param disruptionPassesPlannedWhileIdle disruption passes that built the cluster model
   * @param metricsFullRefreshesWhileIdle metrics refreshes that walked every pod and node
   */
  public record Result(
      int nodes,
      int pods,
      int nodeClaims,
      int boundPods,
      double secondsToReady,
      double idleSeconds,
      double idleCpuPercent,
      double idleApiServerCpuPercent,
      double idleJvmCpuPercent,
      int nodeClaimsCreatedWhileIdle,
      int nodeClaimsDeletedWhileIdle,
      long clusterEventsWhileIdle,
      long disruptionPassesPlannedWhileIdle,
      long metricsFullRefreshesWhileIdle,
      String busiestIdleControllerThreads) {}

  private static final String POOL = "idle";

  private final CloudProvider provider;
  private final Options options;
  private final java.io.PrintStream log;

  public IdleBenchmark(CloudProvider provider, Options options, java.io.PrintStream log) {
    this.provider = provider;
    this.options = options;
    this.log = log;
  }

  public Result run() throws InterruptedException {
    return BenchCluster.run(
        dev.dovetail.operator.Settings.defaults().withClusterName("bench"),
        provider,
        Map.of("catalog", options.catalog(), "startupTaintDelay", "0ms"),
        cluster -> {
          DemoCluster.create(cluster.standIn(), pool(cluster.nodeClass()));
          ClusterState state = cluster.dovetail().state();
          NodePool pool = awaitNonNull(() -> state.nodePools().stream().findFirst().orElse(null));
          long t0 = System.nanoTime();
          populate(cluster.standIn(), state, pool, cluster.nodeClass());
          double ready = (System.nanoTime() - t0) / 1e9;
          return measure(cluster, ready);
        });
  }

  private NodePool pool(NodeClassReference nodeClass) {
    NodePool pool = new NodePool();
    pool.setMetadata(new ObjectMetaBuilder().withName(POOL).build());
    pool.getSpec().getTemplate().getSpec().setRequirements(requirements());
    pool.getSpec().getTemplate().getSpec().setNodeClassRef(nodeClass);
    pool.getSpec().getDisruption().setConsolidationPolicy(options.consolidationPolicy());
    return pool;
  }

  private static List<NodeSelectorRequirementWithMinValues> requirements() {
    return List.of(
        new NodeSelectorRequirementWithMinValues(
            WellKnownLabels.CAPACITY_TYPE, "In", List.of("on-demand"), null),
        new NodeSelectorRequirementWithMinValues(
            WellKnownLabels.ARCH, "In", List.of("amd64"), null),
        new NodeSelectorRequirementWithMinValues(WellKnownLabels.OS, "In", List.of("linux"), null));
  }

  /** Pods per node, spread evenly (the first nodes take one more). */
  private int podsOn(int node) {
    int each = options.pods() / options.nodes();
    return each + (node < options.pods() % options.nodes() ? 1 : 0);
  }

  private static final long POD_CPU_MILLIS = 300;
  private static final long POD_MEMORY_MI = 512;

  private void populate(
      KubernetesClient standIn, ClusterState state, NodePool pool, NodeClassReference nodeClass)
      throws InterruptedException {
    // Each claim is followed by its pods, not all claims first: on a loaded machine launching
    // takes minutes, and a node initialized before its pods exist is empty, so the disruption pass
    // deletes it (emptiness) and the cluster never reaches N nodes.
    List<io.fabric8.kubernetes.api.model.HasMetadata> objects = new ArrayList<>();
    for (int i = 0; i < options.nodes(); i++) {
      String node = String.format("%s-%05d", POOL, i);
      objects.add(claim(node, pool, nodeClass, podsOn(i)));
      for (int j = 0; j < podsOn(i); j++) {
        objects.add(boundPod(node, j));
      }
    }
    DemoCluster.submit(standIn, objects, 8);
    awaitCount(
        "NodeClaims initialized",
        () -> (int) state.nodeClaims().stream().filter(IdleBenchmark::initialized).count(),
        options.nodes());
    awaitCount(
        "bound pods in the cache",
        () -> (int) state.pods().stream().filter(PodUtils::isBound).count(),
        options.pods());
  }

  private static boolean initialized(NodeClaim c) {
    return c.getStatus() != null
        && Conditions.isTrue(c.getStatus().getConditions(), Karpenter.Conditions.INITIALIZED);
  }

  /** A NodeClaim as the provisioner writes it for {@code pods} of the benchmark's pods. */
  private static NodeClaim claim(
      String name, NodePool pool, NodeClassReference nodeClass, int pods) {
    NodeClaim claim = new NodeClaim();
    claim.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withLabels(Map.of(WellKnownLabels.NODE_POOL, POOL))
            .withAnnotations(
                Map.of(
                    Karpenter.NODEPOOL_HASH_ANNOTATION,
                    NodePoolHash.of(pool),
                    Karpenter.NODEPOOL_HASH_VERSION_ANNOTATION,
                    NodePoolHash.VERSION))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(Karpenter.API_VERSION)
                    .withKind("NodePool")
                    .withName(POOL)
                    .withUid(pool.getMetadata().getUid())
                    .withBlockOwnerDeletion(true)
                    .build())
            .build());
    NodeClaimSpec spec = new NodeClaimSpec();
    spec.setRequirements(requirements());
    NodeClaimSpec.ResourceRequirements resources = new NodeClaimSpec.ResourceRequirements();
    resources.setRequests(
        Map.of(
            "cpu", new Quantity(pods * POD_CPU_MILLIS + "m"),
            "memory", new Quantity(pods * POD_MEMORY_MI + "Mi"),
            "pods", new Quantity(Integer.toString(pods))));
    spec.setResources(resources);
    spec.setNodeClassRef(nodeClass);
    claim.setSpec(spec);
    return claim;
  }

  /**
   * A pod of a ReplicaSet, already bound to its node (the simulated node is named as its claim).
   */
  private static Pod boundPod(String node, int index) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(node + "-pod-" + index)
        .withNamespace("default")
        .withLabels(Map.of("app", "idle"))
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName("idle")
        .withUid("idle-replicaset")
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("app")
        .withImage("registry.k8s.io/pause")
        .withNewResources()
        .addToRequests("cpu", new Quantity(POD_CPU_MILLIS + "m"))
        .addToRequests("memory", new Quantity(POD_MEMORY_MI + "Mi"))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus()
        .build();
  }

  private Result measure(BenchCluster.Running cluster, double ready) throws InterruptedException {
    ClusterState state = cluster.dovetail().state();
    ThreadCpu cpu = cluster.cpu();
    log.printf("[ready after %.1fs] settling %ds%n", ready, options.settle().toSeconds());
    Thread.sleep(options.settle().toMillis());
    Set<String> claimsBefore = names(state);
    long events0 = state.generation();
    long planned0 = cluster.dovetail().disruption().plannedPasses();
    long refreshes0 = cluster.metrics().fullRefreshes();
    Map<ThreadCpu.Role, Double> start = cpu.seconds();
    Map<Long, Long> threadsStart = cpu.perThread();
    long i0 = System.nanoTime();
    Thread.sleep(options.idle().toMillis());
    Map<ThreadCpu.Role, Double> end = cpu.seconds();
    Map<Long, Long> threadsEnd = cpu.perThread();
    double wall = (System.nanoTime() - i0) / 1e9;
    long events = state.generation() - events0;
    long planned = cluster.dovetail().disruption().plannedPasses() - planned0;
    long refreshes = cluster.metrics().fullRefreshes() - refreshes0;
    Set<String> claimsAfter = names(state);
    int created = (int) claimsAfter.stream().filter(n -> !claimsBefore.contains(n)).count();
    int deleted = (int) claimsBefore.stream().filter(n -> !claimsAfter.contains(n)).count();
    return new Result(
        options.nodes(),
        options.pods(),
        state.nodeClaims().size(),
        (int) state.pods().stream().filter(PodUtils::isBound).count(),
        ready,
        wall,
        percent(start, end, ThreadCpu.Role.CONTROLLERS, wall),
        percent(start, end, ThreadCpu.Role.API_SERVER, wall),
        percent(start, end, ThreadCpu.Role.JVM, wall),
        created,
        deleted,
        events,
        planned,
        refreshes,
        cpu.busiestBetween(threadsStart, threadsEnd, ThreadCpu.Role.CONTROLLERS, 8));
  }

  private static Set<String> names(ClusterState state) {
    Set<String> out = new java.util.HashSet<>();
    state.nodeClaims().forEach(c -> out.add(c.getMetadata().getName()));
    return out;
  }

  private static double percent(
      Map<ThreadCpu.Role, Double> a, Map<ThreadCpu.Role, Double> b, ThreadCpu.Role r, double wall) {
    return wall <= 0 ? 0 : 100 * (b.get(r) - a.get(r)) / wall;
  }

  private void awaitCount(String what, java.util.function.IntSupplier count, int target)
      throws InterruptedException {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    long t0 = System.nanoTime();
    int lastReported = -1;
    while (true) {
      int n = count.getAsInt();
      if (n >= target) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            what + ": " + n + " of " + target + " within " + options.timeout());
      }
      int elapsed = (int) ((System.nanoTime() - t0) / 10_000_000_000L);
      if (elapsed != lastReported) {
        lastReported = elapsed;
        log.printf("  %s: %d/%d%n", what, n, target);
      }
      Thread.sleep(200);
    }
  }

  private <T> T awaitNonNull(java.util.function.Supplier<T> get) throws InterruptedException {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    while (System.nanoTime() < deadline) {
      T t = get.get();
      if (t != null) {
        return t;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the NodePool never reached the operator's cache");
  }
}
