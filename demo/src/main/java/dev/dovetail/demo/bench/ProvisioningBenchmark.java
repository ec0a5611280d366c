package dev.dovetail.demo.bench;

import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.demo.Binder;
import dev.dovetail.demo.DemoCluster;
import dev.dovetail.demo.DemoNodePools;
import dev.dovetail.demo.Rescheduler;
import dev.dovetail.demo.Workload;
import dev.dovetail.operator.KubeClientRate;
import dev.dovetail.operator.Settings;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The whole controller path under load: the embedded API server, the operator as {@code dovetail
 * run} starts it (default settings, metrics refreshed) on a provider with zero launch latency, the
 * demo's stand-in scheduler ({@link Binder}) and ReplicaSet controller ({@link Rescheduler}) and N
 * pending pods of the demo's workload created in one burst. Measures when every NodeClaim was
 * created and every pod bound, the peak heap, CPU per role (controllers apart from the API server,
 * the stand-in and the JVM's own threads) and the controllers' CPU once everything has settled.
 *
 * <p>With {@link Options#clusterProcess} the API server, the stand-ins and the burst run in a
 * {@link ClusterProcess} of their own and this JVM holds only the operator: its heap is then the
 * controllers' alone, and the API server's CPU is that process's.
 */
public final class ProvisioningBenchmark {
  /**
   * What to run.
   *
   * @param clusterProcess run the API server, the stand-in scheduler and ReplicaSet controller and
   *     the pod creates in a JVM of their own ({@link ClusterProcess}), so this one holds only the
   *     controllers
   * @param clusterHeap that JVM's {@code -Xmx}, e.g. {@code 3g}
   * @param clusterNice that process's niceness (0: as this one's)
   * @param arrival the order the pods are created in (the same pods either way)
   */
  public record Options(
      int pods,
      String catalog,
      long seed,
      Duration timeout,
      Duration idle,
      Duration settle,
      int submitThreads,
      boolean clusterProcess,
      String clusterHeap,
      int clusterNice,
      Workload.Arrival arrival,
      KubeClientRate clientRate) {}

  /**
   * The figures.
   *
   * @param dollarsPerHour what the NodeClaims at the end cost, by their instance type, zone and
   *     capacity type: two runs that bought different numbers of NodeClaims (smaller or larger
   *     instances) are compared by this
   * @param secondsToAllPodsCreated from the first pod create to the last (the burst)
   * @param secondsToAllNodeClaimsCreated from the first pod create to the last NodeClaim created
   *     before every pod was bound (observed every 100 ms through the controllers' cache)
   * @param secondsFromLastPodToAllNodeClaims from the last pod created to the last NodeClaim
   *     created: the batch window (idle 1 s, at most 10 s), the stand-in scheduler marking the last
   *     pods Unschedulable, the solve and the creates
   * @param nodeClaimsProvisioned NodeClaims the provisioner created over the run (not counting
   *     consolidation's replacements)
   * @param secondsFromLastPendingToAllNodeClaims from the last pod seen newly pending (unbound and
   *     marked Unschedulable: what the provisioner acts on) to the last NodeClaim the provisioner
   *     created (consolidation's replacements are not provisioning): the batch window, the solve
   *     and the creates, without the stand-in scheduler's lag in marking pods (issue 21's target: ≤
   *     5 s after the batch window, so ≤ 15 s with the default 10 s maximum window, ≤ 6 s when the
   *     pods stopped coming 1 s before it closed)
   * @param provisioningPasses the provisioner's passes that created NodeClaims
   * @param secondsFromBatchToNodeClaimsMedian per such pass, from its batch window closing to its
   *     last NodeClaim created (the solve and the creates): the median over the passes
   * @param secondsFromBatchToNodeClaimsMax the same, the longest pass (issue 21's target: ≤ 5 s)
   * @param secondsToAllBound from the first pod create until every pod had a node; null if not
   *     within the timeout
   * @param peakHeapMiB peak heap used by this JVM, sampled every 100 ms until every pod was bound:
   *     with the cluster in its own process, the controllers' alone; else the whole cluster's (API
   *     server, controllers and stand-in)
   * @param peakHeapAfterGcMiB the most heap left right after a garbage collection over the same
   *     time ({@link HeapAfterGc}): the bound on the live set, which peak heap used is not under G1
   * @param controllerCpuSeconds CPU of the controllers' threads (informers and HTTP client
   *     included) from the operator's start until every pod was bound
   * @param apiServerCpuSeconds the same for the embedded API server's threads; with the cluster in
   *     its own process, that whole process (API server, stand-in scheduler and ReplicaSet
   *     controller, the pod creates, its GC and JIT) from its start
   * @param standInCpuSeconds the stand-in scheduler, the pod creators and this benchmark's polling;
   *     with the cluster in its own process, this benchmark's polling and setup alone
   * @param jvmCpuSeconds process CPU on no Java thread: garbage collection and JIT, shared by all
   *     (with the cluster in its own process, the controllers' JVM's alone)
   * @param secondsToSettled from the first pod create until every pod was bound and no NodeClaim
   *     had been created or deleted for the settle time (consolidation done); the idle window
   *     starts here
   * @param idleCpuPercent the controllers' threads' CPU over the idle window after everything
   *     settled, in % of one core
   * @param idleApiServerCpuPercent the API server's over the same window (with the cluster in its
   *     own process: that whole process's)
   * @param idleJvmCpuPercent the JVM's own CPU (GC, JIT) over the same window, in % of one core
   * @param busiestControllerThreads the controllers' busiest threads over the run
   * @param busiestIdleControllerThreads the same over the idle window alone (what idle CPU is)
   */
  public record Result(
      int pods,
      int bound,
      int nodeClaims,
      int nodes,
      double dollarsPerHour,
      double secondsToAllPodsCreated,
      double secondsToAllNodeClaimsCreated,
      double secondsFromLastPodToAllNodeClaims,
      long nodeClaimsProvisioned,
      double secondsFromLastPendingToAllNodeClaims,
      int provisioningPasses,
      double secondsFromBatchToNodeClaimsMedian,
      double secondsFromBatchToNodeClaimsMax,
      Double secondsToAllBound,
      double peakHeapMiB,
      double peakHeapAfterGcMiB,
      double controllerCpuSeconds,
      double apiServerCpuSeconds,
      double standInCpuSeconds,
      double jvmCpuSeconds,
      double secondsToSettled,
      double idleSeconds,
      double idleCpuPercent,
      double idleApiServerCpuPercent,
      double idleJvmCpuPercent,
      String busiestControllerThreads,
      String busiestIdleControllerThreads) {}

  private final CloudProvider provider;
  private final Options options;
  private final java.io.PrintStream log;

  public ProvisioningBenchmark(CloudProvider provider, Options options, java.io.PrintStream log) {
    this.provider = provider;
    this.options = options;
    this.log = log;
  }

  public Result run() throws InterruptedException {
    return options.clusterProcess() ? runBesideCluster() : runInProcess();
  }

  /** The operator's settings: upstream's defaults but the pace of NodeClaim creates. */
  private Settings settings() {
    return Settings.defaults().withClusterName("bench").withKubeClientRate(options.clientRate());
  }

  private Map<String, String> providerSettings() {
    return Map.of("catalog", options.catalog(), "seed", Long.toString(options.seed()));
  }

  /** Everything in this JVM: the API server, the stand-ins, the pod creates and the controllers. */
  private Result runInProcess() throws InterruptedException {
    return BenchCluster.run(
        settings(),
        provider,
        providerSettings(),
        cluster -> {
          KubernetesClient standIn = cluster.standIn();
          ClusterState state = cluster.dovetail().state();
          try (Binder binder = new Binder(standIn, state, Clock.systemUTC()).start()) {
            for (NodePool pool : DemoNodePools.all(cluster.nodeClass(), options.pods())) {
              DemoCluster.apply(standIn, pool);
            }
            // Built as it is read, twice (the stand-in's templates, then the burst), never held
            // whole: 50,000 fabric8 pods held for the run were ~200 MiB of a 512 MiB heap.
            Iterable<Pod> workload =
                Workload.stream(options.pods(), options.seed(), options.arrival());
            // The demo's stand-in ReplicaSet controller: pods on nodes that consolidation removes
            // come back pending instead of vanishing.
            try (Rescheduler rescheduler = new Rescheduler(standIn, workload).start()) {
              return measure(
                  state,
                  cluster.dovetail().provisioner(),
                  cluster.dovetail().cloud(),
                  cluster.cpu(),
                  cluster.provisioned(),
                  new InProcessBurst(standIn, workload, options.submitThreads()));
            }
          }
        });
  }

  /**
   * The controllers alone in this JVM, the rest of the cluster in a {@link ClusterProcess}: the
   * heap measured is then the controllers', and their CPU is told from the cluster's by process.
   */
  private Result runBesideCluster() throws InterruptedException {
    try (ClusterChild child =
        ClusterChild.start(
            ClusterChild.command(
                options.pods(),
                options.seed(),
                options.arrival(),
                options.submitThreads(),
                options.clusterHeap(),
                "warn",
                options.clusterNice()))) {
      String url = child.url(Duration.ofMinutes(3));
      log.printf("cluster process %d: API server at %s%n", child.pid(), url);
      return BenchCluster.runOn(
          url,
          settings(),
          provider,
          providerSettings(),
          cluster ->
              measure(
                  cluster.dovetail().state(),
                  cluster.dovetail().provisioner(),
                  cluster.dovetail().cloud(),
                  cluster.cpu(),
                  cluster.provisioned(),
                  new ChildBurst(child, cluster.nodeClass())));
    }
  }

  /** The burst of pod creates, in this JVM or in the cluster's. */
  private interface Burst {
    /** Starts the creates; returns {@link System#nanoTime} at their start. */
    long start() throws InterruptedException;

    /** Whether every pod has been created; throws if the creates failed for good. */
    boolean finished();

    /** Waits for the creates to end, at most {@code timeout}. */
    void await(Duration timeout) throws InterruptedException;

    /**
     * CPU seconds of the cluster's own process, which then stand for the API server's; null when
     * the cluster runs in this JVM (its threads are then told apart by name).
     */
    default Double clusterProcessCpuSeconds() {
      return null;
    }
  }

  /** The creates on a thread of this JVM. */
  private static final class InProcessBurst implements Burst {
    private final Thread submitter;

    InProcessBurst(KubernetesClient client, Iterable<Pod> workload, int threads) {
      submitter =
          new Thread(
              () -> {
                try {
                  DemoCluster.submit(client, workload, threads);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "bench-submit");
    }

    @Override
    public long start() {
      long t0 = System.nanoTime();
      submitter.start();
      return t0;
    }

    @Override
    public boolean finished() {
      return !submitter.isAlive();
    }

    @Override
    public void await(Duration timeout) throws InterruptedException {
      submitter.join(Math.max(1, timeout.toMillis()));
    }
  }

  /** The creates in the cluster's process, which says when they began and ended. */
  private record ChildBurst(ClusterChild child, dev.dovetail.apis.v1.NodeClassReference nodeClass)
      implements Burst {
    @Override
    public long start() throws InterruptedException {
      return child.go(nodeClass, Duration.ofMinutes(3));
    }

    @Override
    public boolean finished() {
      if (!child.alive()) {
        throw new IllegalStateException("the cluster's process ended: " + child.exit());
      }
      return child.created();
    }

    @Override
    public void await(Duration timeout) {
      // the creates end on their own; finished() says when
    }

    @Override
    public Double clusterProcessCpuSeconds() {
      return child.cpuSeconds();
    }
  }

  private Result measure(
      ClusterState state,
      dev.dovetail.controllers.provisioning.Provisioner provisioner,
      dev.dovetail.provider.CloudProviderFacade cloud,
      ThreadCpu cpu,
      ProvisionedClaims provisioned,
      Burst burst)
      throws InterruptedException {
    PodProgress progress = PodProgress.follow(state, System::nanoTime);
    long t0 = burst.start();
    long deadline = t0 + options.timeout().toNanos();
    double podsCreatedAt = -1;
    double lastClaimAt = 0;
    int claims = 0;
    Double allBoundAt = null;
    int bound = 0;
    int lastReported = -1;
    long peakHeap = 0;
    java.lang.management.MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
    double peakAfterGc;
    try (HeapAfterGc afterGc = new HeapAfterGc()) {
      while (System.nanoTime() < deadline) {
        Thread.sleep(100);
        double now = (System.nanoTime() - t0) / 1e9;
        if (podsCreatedAt < 0 && burst.finished()) {
          podsCreatedAt = now;
        }
        int c = state.nodeClaims().size();
        if (c > claims) {
          lastClaimAt = now;
        }
        claims = c;
        bound = progress.bound();
        peakHeap = Math.max(peakHeap, heap.getHeapMemoryUsage().getUsed());
        if ((int) now / 10 != lastReported) {
          lastReported = (int) now / 10;
          // Not yet marked Unschedulable by the stand-in scheduler: with the provisionable and the
          // nominated pods, the progress line says which stage a slow run waits on.
          long unmarked =
              state.pods().stream()
                  .filter(p -> !PodUtils.isBound(p) && !PodUtils.isProvisionable(p))
                  .count();
          // Pods a NodePool limit holds back are said apart: a run that stops there is not a stall
          // of
          // the controllers (the 20,000-pod run on the demo's fixed limits looked like one).
          log.printf(
              "[%6.1fs] pods bound %d/%d (unmarked %d, provisionable %d, nominated %d), nodeclaims"
                  + " %d, nodes %d, held by NodePool limits %d%n",
              now,
              bound,
              options.pods(),
              unmarked,
              state.provisionablePods().size(),
              state.nominatedPods().size(),
              claims,
              state.nodes().size(),
              heldByLimits(provisioner));
        }
        if (bound >= options.pods()) {
          allBoundAt = now;
          break;
        }
      }
      peakAfterGc = afterGc.peakMiB();
    }
    burst.await(options.timeout());
    if (podsCreatedAt < 0) {
      podsCreatedAt = (System.nanoTime() - t0) / 1e9;
    }
    Map<ThreadCpu.Role, Double> busy = seconds(cpu, burst);
    double peak = peakHeap / (1024.0 * 1024.0);
    // Settled: the last writes (status, registration, initialisation) landed and consolidation is
    // done, i.e. no NodeClaim came or went for the settle time. An idle window that starts while
    // consolidation still removes nodes measures that work, not idling.
    double settledAt = settle(state, t0, deadline);
    Map<ThreadCpu.Role, Double> idleStart = seconds(cpu, burst);
    Map<Long, Long> threadsStart = cpu.perThread();
    long i0 = System.nanoTime();
    Thread.sleep(options.idle().toMillis());
    Map<ThreadCpu.Role, Double> idleEnd = seconds(cpu, burst);
    Map<Long, Long> threadsEnd = cpu.perThread();
    double idleWall = (System.nanoTime() - i0) / 1e9;
    PassTimes passes = provisioned.passTimes();
    double lastPendingAt = (progress.lastNewPendingNanos().orElse(t0) - t0) / 1e9;
    return new Result(
        options.pods(),
        bound,
        state.nodeClaims().size(),
        state.nodes().size(),
        state.nodeClaims().stream().mapToDouble(cloud::price).sum(),
        podsCreatedAt,
        lastClaimAt,
        Math.max(0, lastClaimAt - podsCreatedAt),
        provisioned.count(),
        Math.max(0, provisioned.lastSecondsSince(t0) - lastPendingAt),
        passes.passes(),
        passes.medianSeconds(),
        passes.maxSeconds(),
        allBoundAt,
        peak,
        peakAfterGc,
        busy.get(ThreadCpu.Role.CONTROLLERS),
        busy.get(ThreadCpu.Role.API_SERVER),
        busy.get(ThreadCpu.Role.STAND_IN),
        busy.get(ThreadCpu.Role.JVM),
        settledAt,
        idleWall,
        percent(idleStart, idleEnd, ThreadCpu.Role.CONTROLLERS, idleWall),
        percent(idleStart, idleEnd, ThreadCpu.Role.API_SERVER, idleWall),
        percent(idleStart, idleEnd, ThreadCpu.Role.JVM, idleWall),
        cpu.busiest(ThreadCpu.Role.CONTROLLERS, 8),
        cpu.busiestBetween(threadsStart, threadsEnd, ThreadCpu.Role.CONTROLLERS, 8));
  }

  /** CPU seconds by role, the API server's being the cluster process's when it has one. */
  private static Map<ThreadCpu.Role, Double> seconds(ThreadCpu cpu, Burst burst) {
    Map<ThreadCpu.Role, Double> seconds = cpu.seconds();
    Double cluster = burst.clusterProcessCpuSeconds();
    if (cluster != null) {
      seconds.put(ThreadCpu.Role.API_SERVER, cluster);
    }
    return seconds;
  }

  /**
   * Waits until no NodeClaim was created or deleted for the settle time and none is being deleted,
   * or the deadline; returns the seconds since {@code t0} at which it was settled.
   */
  private double settle(ClusterState state, long t0, long deadline) throws InterruptedException {
    long settleNanos = options.settle().toNanos();
    java.util.Set<String> names = claimNames(state);
    long stableSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      java.util.Set<String> now = claimNames(state);
      boolean deleting =
          state.nodeClaims().stream().anyMatch(c -> c.getMetadata().getDeletionTimestamp() != null);
      if (!now.equals(names) || deleting) {
        names = now;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince >= settleNanos) {
        break;
      }
      Thread.sleep(Math.min(500, Math.max(1, settleNanos / 1_000_000)));
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static java.util.Set<String> claimNames(ClusterState state) {
    java.util.Set<String> out = new java.util.HashSet<>();
    state.nodeClaims().forEach(c -> out.add(c.getMetadata().getName()));
    return out;
  }

  /**
   * Pods whose last solve left them waiting for a NodePool under its limits: the engine says
   * "NodePool p cpu limit 2000 reached", the provisioner's own check "NodePool p limit on cpu
   * reached".
   */
  static long heldByLimits(dev.dovetail.controllers.provisioning.Provisioner provisioner) {
    return provisioner.unschedulableReasons().values().stream()
        .filter(
            why -> why.contains("NodePool ") && why.contains(" limit") && why.contains("reached"))
        .count();
  }

  private static double percent(
      Map<ThreadCpu.Role, Double> a, Map<ThreadCpu.Role, Double> b, ThreadCpu.Role r, double wall) {
    return wall <= 0 ? 0 : 100 * (b.get(r) - a.get(r)) / wall;
  }
}
