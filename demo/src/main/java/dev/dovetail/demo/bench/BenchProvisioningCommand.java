package dev.dovetail.demo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.operator.KubeClientRate;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dovetail bench provisioning}: the whole controller path on the embedded API server. */
@Command(
    name = "provisioning",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the real controllers on the embedded API server with a provider at zero launch"
          + " latency and the demo's stand-in scheduler, creates N pending pods of the demo's"
          + " workload, and reports when every NodeClaim was created and every pod bound, the"
          + " peak heap, the controllers' CPU apart from the API server's, and their idle CPU."
    })
public final class BenchProvisioningCommand implements Callable<Integer> {
  @Option(names = "--pods", description = "Pending pods to create (default ${DEFAULT-VALUE}).")
  int pods = 2000;

  @Option(names = "--json", description = "Print the figures as one JSON object on stdout.")
  boolean json;

  @Option(
      names = "--idle-seconds",
      description = "Idle window after everything settled (default ${DEFAULT-VALUE}).")
  int idleSeconds = 60;

  @Option(
      names = "--settle-seconds",
      description =
          "The idle window starts once every pod is bound and no NodeClaim came or went for"
              + " this long (default ${DEFAULT-VALUE}).")
  int settleSeconds = 10;

  @Option(names = "--timeout", description = "Give up binding after (default ${DEFAULT-VALUE}).")
  String timeout = "15m";

  @Option(names = "--seed", description = "Workload seed (default ${DEFAULT-VALUE}).")
  long seed = 42;

  // The default: the targets (the heap under -Xmx512m, the controllers' CPU and idle CPU)
  // are about the autoprovisioner's process, and in a real cluster the API server, kube-scheduler
  // and the ReplicaSet controller are other processes. In one JVM the heap figure was mostly the
  // API server's stored objects and the stand-ins' caches (10,000 pods did not fit in 512 MiB),
  // and CPU was split by thread names with GC and JIT shared.
  @Option(
      names = "--cluster-process",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = {
        "Run the API server, the stand-in scheduler and ReplicaSet controller and the pod creates"
            + " in a JVM of their own (-Xmx from --cluster-heap), as a real cluster's are other"
            + " processes: the heap and CPU reported are then the controllers' own, the API"
            + " server's CPU that whole process's. Its stand-in scheduler has its own cache and"
            + " does not see the operator's nominations (as kube-scheduler does not)."
            + " --no-cluster-process runs everything in this JVM. Default: ${DEFAULT-VALUE}."
      })
  boolean clusterProcess;

  @Option(
      names = "--cluster-heap",
      description = "-Xmx of the cluster's process (default ${DEFAULT-VALUE}).")
  String clusterHeap = "3g";

  // On a 2-core machine the cluster's process (API server, stand-ins, the pod burst) takes about a
  // core and the provisioner waits for one: its snapshot ran 0.1 s of CPU in 0.5-1.4 s. In a real
  // cluster the API server has machines of its own; a niceness models that without hiding the
  // cluster's CPU, which is still measured and reported.
  @Option(
      names = "--cluster-nice",
      description =
          "Niceness of the cluster's process, 0-19: above 0 it runs on what the controllers leave"
              + " of the cores, as an API server on machines of its own (default ${DEFAULT-VALUE}).")
  int clusterNice = 0;

  // Kind after kind (the figures before this option) makes batches of one kind: 6,000 `worker` pods
  // of 1 cpu alone buy one t4g.medium each, where mixed with `web` pods they would fill fewer.
  @Option(
      names = "--arrival",
      description =
          "Order the pods are created in: by-kind (one Deployment after another) or mixed (all"
              + " scaled up at once, each kind at its share). The same pods either way (default"
              + " ${DEFAULT-VALUE}).")
  String arrival = "by-kind";

  // Upstream's pace by default; a pass of more than ~1,200 NodeClaims takes longer than 5 s to
  // create at it (BENCHMARKS.md), whatever the controllers' own speed.
  @Option(
      names = "--kube-client-qps",
      description =
          "The controllers' NodeClaim creates per second after the burst, as dovetail run's"
              + " --kube-client-qps (default ${DEFAULT-VALUE}, upstream's).")
  String kubeClientQps = String.valueOf(KubeClientRate.DEFAULTS.qps());

  @Option(
      names = "--kube-client-burst",
      description =
          "The controllers' NodeClaim creates at once after a quiet spell, as dovetail run's"
              + " --kube-client-burst (default ${DEFAULT-VALUE}, upstream's).")
  String kubeClientBurst = String.valueOf(KubeClientRate.DEFAULTS.burst());

  @Mixin BenchProviderOptions provider = new BenchProviderOptions();

  @Override
  public Integer call() throws Exception {
    options(); // bad options are reported before any plugin is loaded
    return provider.run(this::run);
  }

  /** Runs the benchmark on a provider; the exit code is 0 when every pod was bound. */
  int run(CloudProvider cloud) throws InterruptedException, java.io.IOException {
    ProvisioningBenchmark.Options options = options();
    ProvisioningBenchmark.Result r = new ProvisioningBenchmark(cloud, options, System.err).run();
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(r));
    } else {
      print(r);
    }
    return r.secondsToAllBound() != null ? 0 : 1;
  }

  ProvisioningBenchmark.Options options() {
    if (pods < 1) {
      throw new IllegalArgumentException("--pods must be at least 1, got " + pods);
    }
    if (!clusterHeap.matches("[0-9]+[kKmMgG]?")) {
      throw new IllegalArgumentException(
          "--cluster-heap must be a size such as 3g or 2048m, got '" + clusterHeap + "'");
    }
    if (clusterNice < 0 || clusterNice > 19) {
      throw new IllegalArgumentException("--cluster-nice must be 0 to 19, got " + clusterNice);
    }
    if (clusterNice > 0 && !clusterProcess) {
      throw new IllegalArgumentException(
          "--cluster-nice needs the cluster in its own process; drop --no-cluster-process");
    }
    if (idleSeconds < 0 || settleSeconds < 0) {
      throw new IllegalArgumentException("--idle-seconds and --settle-seconds must be >= 0");
    }
    String catalog = provider.catalog();
    Duration limit = BenchProviderOptions.timeout(timeout);
    return new ProvisioningBenchmark.Options(
        pods,
        catalog,
        seed,
        limit,
        Duration.ofSeconds(idleSeconds),
        Duration.ofSeconds(settleSeconds),
        8,
        clusterProcess,
        clusterHeap,
        clusterNice,
        dev.dovetail.demo.Workload.Arrival.parse(arrival),
        KubeClientRate.parse(kubeClientQps, kubeClientBurst));
  }

  private static void print(ProvisioningBenchmark.Result r) {
    System.out.printf(
        Locale.ROOT,
        "pods %d (bound %d), nodeclaims %d, nodes %d%n"
            + "all pods created after   %.1f s%n"
            + "all nodeclaims created   %.1f s (%.1f s after the last pod created; the"
            + " provisioner's %d: the last %.1f s after the last pod pending)%n"
            + "batch closed -> claims   median %.2f s, longest %.2f s over %d passes%n"
            + "all pods bound after     %s%n"
            + "peak heap                %.0f MiB used, %.0f MiB left after a collection%n"
            + "cpu until all bound      controllers %.1f s, api server %.1f s, stand-in %.1f s,"
            + " jvm (gc, jit) %.1f s%n"
            + "settled after            %.1f s%n"
            + "idle cpu over %.0f s       controllers %.2f %%, api server %.2f %%, jvm %.2f %%"
            + " of one core%n"
            + "busiest controller threads: %s%n"
            + "busiest while idle:         %s%n",
        r.pods(),
        r.bound(),
        r.nodeClaims(),
        r.nodes(),
        r.secondsToAllPodsCreated(),
        r.secondsToAllNodeClaimsCreated(),
        r.secondsFromLastPodToAllNodeClaims(),
        r.nodeClaimsProvisioned(),
        r.secondsFromLastPendingToAllNodeClaims(),
        r.secondsFromBatchToNodeClaimsMedian(),
        r.secondsFromBatchToNodeClaimsMax(),
        r.provisioningPasses(),
        r.secondsToAllBound() == null ? "not within the timeout" : r.secondsToAllBound() + " s",
        r.peakHeapMiB(),
        r.peakHeapAfterGcMiB(),
        r.controllerCpuSeconds(),
        r.apiServerCpuSeconds(),
        r.standInCpuSeconds(),
        r.jvmCpuSeconds(),
        r.secondsToSettled(),
        r.idleSeconds(),
        r.idleCpuPercent(),
        r.idleApiServerCpuPercent(),
        r.idleJvmCpuPercent(),
        r.busiestControllerThreads(),
        r.busiestIdleControllerThreads());
  }
}
