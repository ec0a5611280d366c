// Over 500 lines: the demo's script (phases, timeline, summary JSON, report) in the order it runs.
// Its summary records and printing should move to their own file; the chaos command reuses the
// demo's pieces, so that move waits until both settle (noted on issue 14).
package dev.dovetail.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dovetail.apis.v1.Karpenter.Conditions;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.disruption.DisruptionController;
import dev.dovetail.metrics.HttpEndpoints;
import dev.dovetail.metrics.MeteredCloudProvider;
import dev.dovetail.metrics.Metrics;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.operator.Settings;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.simulate.ReportHtml;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code dovetail demo}: an embedded API server, the simulated cloud, the real controllers and a
 * stand-in scheduler; a workload is submitted and Dovetail provisions for it while a timeline is
 * printed, then a summary of what was bought and how well it is used.
 */
public final class Demo {
  /** Demo options. */
  public record Options(
      int pods,
      String catalog,
      long seed,
      Duration timeout,
      Duration launchLatency,
      Path summaryJson,
      Settings settings,
      int metricsPort,
      boolean scaleDown,
      Path report,
      Path kubeconfigOut,
      boolean hold) {

    public Options(
        int pods,
        String catalog,
        long seed,
        Duration timeout,
        Duration launchLatency,
        Path summaryJson,
        Settings settings,
        int metricsPort,
        boolean scaleDown) {
      this(
          pods,
          catalog,
          seed,
          timeout,
          launchLatency,
          summaryJson,
          settings,
          metricsPort,
          scaleDown,
          null,
          null,
          false);
    }

    public Options(
        int pods,
        String catalog,
        long seed,
        Duration timeout,
        Duration launchLatency,
        Path summaryJson,
        Settings settings,
        int metricsPort) {
      this(pods, catalog, seed, timeout, launchLatency, summaryJson, settings, metricsPort, true);
    }
  }

  /** The share of the workload that goes away in the scale-down phase. */
  static final double SCALE_DOWN_SHARE = 0.6;

  private final CloudProvider provider;
  private final Options options;
  private final PrintStream out;
  private final Clock clock = Clock.systemUTC();
  private final java.util.concurrent.CountDownLatch released =
      new java.util.concurrent.CountDownLatch(1);
  private final List<ReportHtml.TimelinePoint> timeline =
      java.util.Collections.synchronizedList(new ArrayList<>());

  /** Ends {@code --hold}: the demo shuts down and {@link #run} returns. */
  public void release() {
    released.countDown();
  }

  public Demo(CloudProvider provider, Options options, PrintStream out) {
    this.provider = provider;
    this.options = options;
    this.out = out;
  }

  /** Runs the demo; returns the summary. */
  public Summary run() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    try (KubeApiServer api = KubeApiServer.start();
        KubernetesClient client = api.client()) {
      Map<String, String> providerSettings = new HashMap<>();
      providerSettings.put("catalog", options.catalog());
      providerSettings.put("launchLatency", options.launchLatency().toMillis() + "ms");
      providerSettings.put("seed", Long.toString(options.seed()));
      out.printf(
          "dovetail demo: embedded API at %s, provider %s (catalog %s), %d pods%n",
          api.url(), provider.name(), options.catalog(), options.pods());
      if (options.kubeconfigOut() != null) {
        api.writeKubeconfig(options.kubeconfigOut());
        out.printf(
            "kubeconfig: %s (kubectl --kubeconfig %s get nodepools,nodeclaims,nodes -o wide)%n",
            options.kubeconfigOut(), options.kubeconfigOut());
      }
      // Before the operator starts: its NodeClass status controller watches these kinds.
      registerNodeClasses(api);
      Metrics metrics = new Metrics();
      ProvisioningRecorder recorder = new ProvisioningRecorder(metrics);
      try (DovetailOperator dovetail =
              new DovetailOperator(
                      client,
                      new MeteredCloudProvider(provider, metrics.registry()),
                      clock,
                      options.settings(),
                      providerSettings,
                      new DovetailOperator.Listeners(recorder, metrics, e -> {}))
                  // A quicker cadence than upstream's (10s poll, 15s validation) so the demo's
                  // scale-down finishes in seconds; the decisions are the same.
                  .withDisruptionOptions(
                      DisruptionController.Options.DEFAULT
                          .withPollInterval(Duration.ofSeconds(1))
                          .withValidationDelay(Duration.ofSeconds(2)))
                  .start();
          HttpEndpoints endpoints = metricsEndpoint(metrics, dovetail);
          Binder binder = new Binder(client, dovetail.state(), clock).start()) {
        NodeClassReference nodeClass = applyNodeClass(client);
        for (NodePool pool : DemoNodePools.all(nodeClass)) {
          // Applied, not created: on a loaded machine the first create (CEL rules compiled on
          // the server) can outlast the client's timeout and be retried after it was stored, and
          // the NodePool status controller writes the pool meanwhile.
          applyWithRetries(() -> client.resource(pool).forceConflicts().serverSideApply());
        }
        List<Pod> workload = Workload.pods(options.pods(), options.seed());
        submit(client, workload);
        Rescheduler rescheduler = new Rescheduler(client, workload).start();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        Summary summary;
        Double allBoundAt = null;
        while (true) {
          Thread.sleep(1000);
          summary = summarize(dovetail, t0, options.pods());
          out.println(summary.timelineLine());
          if (summary.pods().pending() == 0 && summary.pods().bound() == options.pods()) {
            allBoundAt = summary.elapsedSeconds();
            break;
          }
          if (System.nanoTime() > deadline) {
            break;
          }
        }
        Summary.Provisioning provisioning =
            recorder.figures(dovetail.state(), summary.costPerHour(), allBoundAt);
        summary = summary.withProvisioning(provisioning);
        printSummary(summary, dovetail);
        if (options.scaleDown() && summary.pods().pending() == 0) {
          summary =
              scaleDown(client, dovetail, rescheduler, workload, summary, t0)
                  .withProvisioning(provisioning);
        }
        rescheduler.close();
        if (options.summaryJson() != null) {
          ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
          mapper.writeValue(options.summaryJson().toFile(), summary.toJson());
        }
        if (options.report() != null) {
          DemoReport.write(
              options.report(), DemoReport.finalState(dovetail), List.copyOf(timeline));
          out.printf("report: %s%n", options.report());
        }
        if (options.hold()) {
          out.printf("holding: the embedded API stays up at %s until Ctrl-C%n", api.url());
          released.await();
        }
        return summary;
      }
    }
  }

  /**
   * Part of the workload goes away; consolidation removes or replaces the nodes it no longer needs
   * while the stand-in ReplicaSet controller keeps the remaining pods running.
   */
  private Summary scaleDown(
      KubernetesClient client,
      DovetailOperator dovetail,
      Rescheduler rescheduler,
      List<Pod> workload,
      Summary before,
      long t0)
      throws InterruptedException {
    List<String> gone = new ArrayList<>();
    for (int i = 0; i < workload.size(); i++) {
      if (i % 10 < SCALE_DOWN_SHARE * 10) {
        gone.add(workload.get(i).getMetadata().getName());
      }
    }
    out.println();
    out.printf(
        "scale-down: %d of %d pods go away; consolidation starts (cost $%.4f/h)%n",
        gone.size(), workload.size(), before.costPerHour());
    rescheduler.scaleDown(gone);
    int remaining = workload.size() - gone.size();
    long deadline = System.nanoTime() + options.timeout().toNanos();
    Summary summary = before;
    int quiet = 0;
    String endedBecause = "the phase's time ran out";
    double lowest = before.costPerHour();
    int sinceImprovement = 0;
    int nodesBefore = before.nodeClaims();
    java.util.Set<String> claimsBefore = new java.util.HashSet<>();
    dovetail.state().nodeClaims().forEach(nc -> claimsBefore.add(nc.getMetadata().getName()));
    while (System.nanoTime() < deadline) {
      Thread.sleep(1000);
      summary = summarize(dovetail, t0, remaining);
      out.println(summary.timelineLine());
      boolean settled =
          !dovetail.disruption().busy()
              && summary.pods().pending() == 0
              && summary.pods().bound() == remaining
              && summary.nodeClaims() == summary.initialized();
      if (summary.costPerHour() < lowest - 1e-9) {
        lowest = summary.costPerHour();
        sinceImprovement = 0;
      } else {
        sinceImprovement++;
      }
      quiet = settled ? quiet + 1 : 0;
      // Done when consolidation has nothing left to do (its last pass planned nothing), or when a
      // settled cluster has not got cheaper for a while (what is left is churn, not savings).
      if (settled && dovetail.disruption().converged() && quiet >= 3) {
        endedBecause = "consolidation has nothing left to do";
        break;
      }
      if (quiet >= 6 || (settled && sinceImprovement >= 8)) {
        endedBecause = "settled without getting cheaper for " + sinceImprovement + "s";
        break;
      }
    }
    // Lost, precisely: a controller's pod without a running replacement, or a naked pod that is
    // not running any more, once the phase has ended (settled, or the timeout).
    java.util.Set<String> nodeNames = new java.util.HashSet<>();
    dovetail.state().nodes().forEach(n -> nodeNames.add(n.getMetadata().getName()));
    java.util.Set<String> stillWanted = rescheduler.desired();
    List<Pod> wanted =
        workload.stream().filter(p -> stillWanted.contains(p.getMetadata().getName())).toList();
    List<LostPods.Lost> lostPods = LostPods.of(wanted, dovetail.state().pods(), nodeNames);
    int lost = lostPods.size();
    Summary.Consolidation c =
        new Summary.Consolidation(
            before.costPerHour(), summary.costPerHour(), removed(claimsBefore, dovetail), lost);
    summary = summary.withConsolidation(c);
    out.println();
    out.println("Scale-down");
    out.printf(
        "  cost:          $%.4f/h -> $%.4f/h (%.1f%% saved)%n",
        c.costPerHourBefore(),
        c.costPerHourAfter(),
        c.costPerHourBefore() == 0
            ? 0
            : 100 * (c.costPerHourBefore() - c.costPerHourAfter()) / c.costPerHourBefore());
    out.printf("  nodeclaims:    %d -> %d%n", nodesBefore, summary.nodeClaims());
    out.printf("  pods:          %d remain, %d lost%n", remaining, lost);
    out.printf("  ended:         %s%n", endedBecause);
    for (LostPods.Lost l : lostPods) {
      out.println("    lost: " + l);
    }
    return summary;
  }

  /** NodeClaims that existed before the scale-down and are gone now (consolidated away). */
  private static int removed(java.util.Set<String> before, DovetailOperator dovetail) {
    java.util.Set<String> gone = new java.util.HashSet<>(before);
    dovetail.state().nodeClaims().forEach(nc -> gone.remove(nc.getMetadata().getName()));
    return gone.size();
  }

  /**
   * Serves {@code /metrics} so a demo can be watched in Prometheus; a port already taken only costs
   * the metrics, not the demo.
   */
  private HttpEndpoints metricsEndpoint(Metrics metrics, DovetailOperator dovetail) {
    if (options.metricsPort() < 0) {
      return null;
    }
    try {
      HttpEndpoints endpoints =
          HttpEndpoints.start(
              metrics.registry(), options.metricsPort(), -1, () -> true, () -> true);
      metrics.startRefreshing(dovetail);
      out.printf("metrics: http://localhost:%d/metrics%n", endpoints.metricsPort());
      return endpoints;
    } catch (IOException e) {
      out.printf("metrics: not served (port %d: %s)%n", options.metricsPort(), e.getMessage());
      return null;
    }
  }

  /**
   * Creates an object; one that exists already is fine. On a loaded machine the client retries a
   * create whose response was slow, and the retry meets the object the first attempt made (409),
   * which is not a failure of the demo.
   */
  static <T extends HasMetadata> void createIfAbsent(KubernetesClient client, T object) {
    try {
      client.resource(object).create();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** Creates the pods several at a time, as a Deployment controller would in a burst. */
  private static void submit(KubernetesClient client, List<Pod> pods) throws InterruptedException {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (Pod pod : pods) {
        futures.add(pool.submit(() -> createIfAbsent(client, pod)));
      }
      for (java.util.concurrent.Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(
              "creating a demo pod failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The provider's NodeClass kinds: from the CRD YAML in its plugin JAR when there is some, else
   * registered from the model class (schema-less, as the plugin ships no CRD).
   */
  private void registerNodeClasses(KubeApiServer api) {
    api.registerCrds(provider.getClass().getClassLoader());
    for (NodeClassKind kind : provider.supportedNodeClasses()) {
      api.registerCustomResource(
          kind.group(),
          kind.version(),
          kind.kind(),
          HasMetadata.getPlural(kind.type()),
          io.fabric8.kubernetes.api.model.Namespaced.class.isAssignableFrom(kind.type()));
    }
  }

  /**
   * Applies a demo object, again after a failure (5 tries, 1 s apart): on a machine loaded tens of
   * times over, a request can outlast the client's timeout while the API server is still starting
   * its JIT. An apply is idempotent, so a retry of one that was stored is harmless.
   */
  private static void applyWithRetries(Runnable apply) {
    for (int attempt = 1; ; attempt++) {
      try {
        apply.run();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (attempt == 5) {
          throw e;
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private NodeClassReference applyNodeClass(KubernetesClient client) {
    List<NodeClassKind> kinds = provider.supportedNodeClasses();
    if (kinds.isEmpty()) {
      return new NodeClassReference("karpenter.dovetail.dev", "SimulatedNodeClass", "default");
    }
    NodeClassKind kind = kinds.get(0);
    try {
      HasMetadata nodeClass = kind.type().getDeclaredConstructor().newInstance();
      nodeClass.setMetadata(new ObjectMetaBuilder().withName("default").build());
      applyWithRetries(() -> client.resource(nodeClass).forceConflicts().serverSideApply());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create a " + kind.kind() + ": " + e, e);
    }
    return new NodeClassReference(kind.group(), kind.kind(), "default");
  }

  private Summary summarize(DovetailOperator dovetail, long t0, int expectedPods) {
    ClusterState state = dovetail.state();
    int bound = 0;
    int pending = 0;
    Resources requested = Resources.EMPTY;
    for (Pod p : state.pods()) {
      if (PodUtils.isBound(p)) {
        bound++;
        requested = requested.add(Binder.requests(p));
      } else if (!PodUtils.isTerminal(p)) {
        pending++;
      }
    }
    int claims = 0;
    int launched = 0;
    int registered = 0;
    int initialized = 0;
    double cost = 0;
    Map<String, Integer> byType = new TreeMap<>();
    Map<String, Integer> byZone = new TreeMap<>();
    Map<String, Integer> byCapacityType = new TreeMap<>();
    for (NodeClaim claim : state.nodeClaims()) {
      claims++;
      var conditions = claim.getStatus() == null ? null : claim.getStatus().getConditions();
      if (dev.dovetail.kube.Conditions.isTrue(conditions, Conditions.LAUNCHED)) {
        launched++;
        Map<String, String> labels = claim.getMetadata().getLabels();
        String type = labels.get(WellKnownLabels.INSTANCE_TYPE);
        String zone = labels.get(WellKnownLabels.ZONE);
        String ct = labels.get(WellKnownLabels.CAPACITY_TYPE);
        cost += dovetail.cloud().price(claim);
        byType.merge(type, 1, Integer::sum);
        byZone.merge(zone, 1, Integer::sum);
        byCapacityType.merge(ct, 1, Integer::sum);
      }
      if (dev.dovetail.kube.Conditions.isTrue(conditions, Conditions.REGISTERED)) {
        registered++;
      }
      if (dev.dovetail.kube.Conditions.isTrue(conditions, Conditions.INITIALIZED)) {
        initialized++;
      }
    }
    Resources allocatable = Resources.EMPTY;
    int nodes = 0;
    for (Node n : state.nodes()) {
      nodes++;
      if (n.getStatus() != null) {
        allocatable =
            allocatable.add(CloudProviderFacade.resources(n.getStatus().getAllocatable()));
      }
    }
    double cpuUtil = ratio(requested.get(Resources.CPU), allocatable.get(Resources.CPU));
    double memUtil = ratio(requested.get(Resources.MEMORY), allocatable.get(Resources.MEMORY));
    double elapsed = (System.nanoTime() - t0) / 1e9;
    timeline.add(new ReportHtml.TimelinePoint(elapsed, bound, expectedPods, nodes, cost));
    return new Summary(
        elapsed,
        new Summary.Pods(expectedPods, bound, pending),
        claims,
        launched,
        registered,
        initialized,
        nodes,
        cost,
        cpuUtil,
        memUtil,
        byType,
        byZone,
        byCapacityType,
        null,
        null);
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }

  private void printSummary(Summary s, DovetailOperator dovetail) {
    out.println();
    out.println("Summary");
    out.printf(
        "  pods:        %d total, %d bound, %d pending%n",
        s.pods().total(), s.pods().bound(), s.pods().pending());
    out.printf("  nodeclaims:  %d (%d initialized)%n", s.nodeClaims(), s.initialized());
    out.printf("  nodes:       %d%n", s.nodes());
    out.printf("  cost:        $%.4f/h%n", s.costPerHour());
    Summary.Provisioning prov = s.provisioning();
    if (prov != null) {
      out.printf(
          "  provisioning: %d pods nominated, %d bound as nominated, %d"
              + " re-provisioned, %d wave(s), planned $%.4f/h%n",
          prov.nominated(),
          prov.boundAsNominated(),
          prov.reprovisioned(),
          prov.waves(),
          prov.plannedCostPerHour());
    }
    out.printf(
        "  utilization: cpu %.1f%%, memory %.1f%%%n",
        100 * s.cpuUtilization(), 100 * s.memoryUtilization());
    out.println("  nodes by instance type: " + s.byInstanceType());
    out.println("  nodes by zone:          " + s.byZone());
    out.println("  nodes by capacity type: " + s.byCapacityType());
    if (s.pods().pending() > 0) {
      out.println("  pods not placed:");
      Map<String, String> reasons = dovetail.provisioner().unschedulableReasons();
      int shown = 0;
      for (Pod p : dovetail.state().pods()) {
        if (!PodUtils.isBound(p) && shown++ < 50) {
          String id = ClusterState.podKey(p);
          out.println(
              "    "
                  + id
                  + ": "
                  + reasons.getOrDefault(id, "waiting for capacity to become ready"));
        }
      }
    }
  }

  /** What the demo ended with. */
  public record Summary(
      double elapsedSeconds,
      Pods pods,
      int nodeClaims,
      int launched,
      int registered,
      int initialized,
      int nodes,
      double costPerHour,
      double cpuUtilization,
      double memoryUtilization,
      Map<String, Integer> byInstanceType,
      Map<String, Integer> byZone,
      Map<String, Integer> byCapacityType,
      Consolidation consolidation,
      Provisioning provisioning) {

    public record Pods(int total, int bound, int pending) {}

    /**
     * How faithfully the provisioning phase's plans were followed.
     *
     * @param nominated pods the provisioner nominated to a NodeClaim it created, an in-flight one
     *     or a node
     * @param boundAsNominated of those, pods bound to the node of the last NodeClaim (or node)
     *     nominated for them
     * @param reprovisioned pods nominated to more than one target (a nomination lapsed)
     * @param waves solves that created NodeClaims
     * @param plannedCostPerHour the plans' price of the NodeClaims that still exist
     * @param costPerHour what the launched NodeClaims cost at the end of the phase
     * @param secondsToAllBound when every pod was first bound, null if not within the timeout
     */
    public record Provisioning(
        int nominated,
        int boundAsNominated,
        int reprovisioned,
        int waves,
        double plannedCostPerHour,
        double costPerHour,
        Double secondsToAllBound) {}

    /** What the scale-down phase's consolidation did (null when the phase was skipped). */
    public record Consolidation(
        double costPerHourBefore, double costPerHourAfter, int nodesRemoved, int podsLost) {}

    Summary withConsolidation(Consolidation c) {
      return new Summary(
          elapsedSeconds,
          pods,
          nodeClaims,
          launched,
          registered,
          initialized,
          nodes,
          costPerHour,
          cpuUtilization,
          memoryUtilization,
          byInstanceType,
          byZone,
          byCapacityType,
          c,
          provisioning);
    }

    Summary withProvisioning(Provisioning p) {
      return new Summary(
          elapsedSeconds,
          pods,
          nodeClaims,
          launched,
          registered,
          initialized,
          nodes,
          costPerHour,
          cpuUtilization,
          memoryUtilization,
          byInstanceType,
          byZone,
          byCapacityType,
          consolidation,
          p);
    }

    String timelineLine() {
      return String.format(
          "[%5.1fs] pods bound %d/%d, pending %d | nodeclaims %d (launched %d, registered %d, initialized %d) | nodes %d | $%.3f/h",
          elapsedSeconds,
          pods.bound,
          pods.total,
          pods.pending,
          nodeClaims,
          launched,
          registered,
          initialized,
          nodes,
          costPerHour);
    }

    /** The {@code --summary-json} document. */
    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pods", Map.of("total", pods.total, "bound", pods.bound, "pending", pods.pending));
      m.put("nodeClaims", nodeClaims);
      m.put("nodes", nodes);
      m.put("costPerHour", Math.round(costPerHour * 10000) / 10000.0);
      m.put(
          "utilization", Map.of("cpu", round(cpuUtilization), "memory", round(memoryUtilization)));
      m.put("nodesByInstanceType", byInstanceType);
      m.put("nodesByZone", byZone);
      m.put("nodesByCapacityType", byCapacityType);
      m.put("elapsedSeconds", round(elapsedSeconds));
      if (consolidation != null) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("costPerHourBefore", Math.round(consolidation.costPerHourBefore * 10000) / 10000.0);
        c.put("costPerHourAfter", Math.round(consolidation.costPerHourAfter * 10000) / 10000.0);
        c.put("nodesRemoved", consolidation.nodesRemoved);
        c.put("podsLost", consolidation.podsLost);
        m.put("consolidation", c);
      }
      if (provisioning != null) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("nominated", provisioning.nominated);
        p.put("boundAsNominated", provisioning.boundAsNominated);
        p.put("reprovisioned", provisioning.reprovisioned);
        p.put("waves", provisioning.waves);
        p.put("plannedCostPerHour", Math.round(provisioning.plannedCostPerHour * 10000) / 10000.0);
        p.put("costPerHour", Math.round(provisioning.costPerHour * 10000) / 10000.0);
        p.put(
            "secondsToAllBound",
            provisioning.secondsToAllBound == null ? null : round(provisioning.secondsToAllBound));
        m.put("provisioning", p);
      }
      return m;
    }

    private static double round(double v) {
      return Math.round(v * 1000) / 1000.0;
    }
  }
}
