package dev.dovetail.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.controllers.disruption.DisruptionController;
import dev.dovetail.metrics.HttpEndpoints;
import dev.dovetail.metrics.MeteredCloudProvider;
import dev.dovetail.metrics.Metrics;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.operator.Settings;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** Pods are created this many at a time, as a Deployment controller would in a burst. */
  private static final int SUBMIT_THREADS = 8;

  /**
   * Past {@code --timeout}, the provisioning phase goes on while a pod was bound within this long
   * (a loaded machine binds slowly); longer without one is a stall, a real failure.
   */
  static final Duration STALL_WINDOW = Duration.ofSeconds(20);

  private final CloudProvider provider;
  private final Options options;
  private final PrintStream out;
  private final Clock clock = Clock.systemUTC();
  private final java.util.concurrent.CountDownLatch released =
      new java.util.concurrent.CountDownLatch(1);

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
      DemoCluster.registerNodeClasses(api, provider);
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
        NodeClassReference nodeClass = DemoCluster.applyNodeClass(client, provider);
        for (NodePool pool : DemoNodePools.all(nodeClass, options.pods())) {
          DemoCluster.apply(client, pool);
        }
        List<Pod> workload = Workload.pods(options.pods(), options.seed());
        DemoCluster.submit(client, workload, SUBMIT_THREADS);
        DemoObserver observer = new DemoObserver(dovetail, t0);
        Rescheduler rescheduler = new Rescheduler(client, workload).start();
        ProgressDeadline deadline =
            new ProgressDeadline(System.nanoTime(), options.timeout(), STALL_WINDOW);
        Summary summary;
        Double allBoundAt = null;
        while (true) {
          Thread.sleep(1000);
          summary = observer.observe(options.pods());
          out.println(summary.timelineLine());
          if (summary.pods().pending() == 0 && summary.pods().bound() == options.pods()) {
            allBoundAt = summary.elapsedSeconds();
            break;
          }
          long now = System.nanoTime();
          deadline.observe(now, summary.pods().bound());
          if (deadline.expired(now)) {
            out.printf("provisioning phase timed out: %s%n", deadline.why(now));
            break;
          }
        }
        Summary.Provisioning provisioning =
            recorder.figures(dovetail.state(), summary.costPerHour(), allBoundAt);
        summary = summary.withProvisioning(provisioning);
        SummaryPrinter.print(out, summary, dovetail);
        if (options.scaleDown() && summary.pods().pending() == 0) {
          summary =
              new ScaleDownPhase(dovetail, rescheduler, observer, options.timeout(), out)
                  .run(workload, summary)
                  .withProvisioning(provisioning);
        }
        rescheduler.close();
        if (options.summaryJson() != null) {
          ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
          mapper.writeValue(options.summaryJson().toFile(), summary.toJson());
        }
        if (options.report() != null) {
          DemoReport.write(options.report(), DemoReport.finalState(dovetail), observer.timeline());
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
