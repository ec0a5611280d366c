package dev.dovetail.chaos;

import dev.dovetail.apiserver.Faults;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.demo.Workload;
import io.fabric8.kubernetes.api.model.Node;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * One chaos run: a {@link ChaosCluster} and a seeded schedule of faults for a few seconds (API
 * errors, latency, dropped watches; cloud call errors and timeouts, launches that never register,
 * spot interruptions with warning, instances vanishing without one, capacity errors; nodes going
 * NotReady; the operator killed and a new one started), then the faults stop, the run settles and
 * the invariants are measured.
 */
final class ChaosRun {
  /** What one run's settle phase ended with. */
  record Result(
      long faultsInjected,
      int restarts,
      int podsLost,
      int leakedInstances,
      int duplicateInstances,
      int stuckNodeClaims,
      int unexplainedPending,
      double costPerHour) {}

  /** The simulated cloud's provider name: the only provider chaos has settings of its own for. */
  static final String SIMULATED = "simulated";

  private final Supplier<CloudProvider> providers;
  private final Map<String, String> givenSettings;
  private final int pods;
  private final long seed;
  private final Duration faultWindow;
  private final Duration settleTimeout;
  private final PrintStream out;

  ChaosRun(
      Supplier<CloudProvider> providers,
      Map<String, String> givenSettings,
      int pods,
      long seed,
      Duration faultWindow,
      Duration settleTimeout,
      PrintStream out) {
    this.providers = providers;
    this.givenSettings = Map.copyOf(givenSettings);
    this.pods = pods;
    this.seed = seed;
    this.faultWindow = faultWindow;
    this.settleTimeout = settleTimeout;
    this.out = out;
  }

  /** Runs it; {@code chaos} false is the fault-free run of the same workload (for the cost). */
  Result run(boolean chaos) throws InterruptedException {
    Random random = new Random(seed);
    CloudProvider provider = providers.get();
    Map<String, String> providerSettings =
        providerSettings(provider.name(), givenSettings, seed, random);
    try (ChaosCluster cluster =
        new ChaosCluster(provider, seed, ChaosCluster.Options.CHAOS, providerSettings)) {
      cluster.run(Workload.pods(pods, seed));
      int restarts = 0;
      long nodeFaults = 0;
      if (chaos) {
        ChaosCloud cloud = cluster.cloud();
        Faults faults = cluster.api().faults().seed(seed);
        // the window opens with the first launch: cloud faults need calls to land on, and on a
        // loaded machine the first batch can take longer than the whole window
        awaitFirstLaunch(cloud, Duration.ofSeconds(60));
        long end = System.nanoTime() + faultWindow.toNanos();
        // the kill lands at a random point of the window: during launches, binds or deletes
        // (within the window less a second, so the loop's half-second steps always reach it)
        long killAt =
            System.nanoTime()
                + (long)
                    (Math.max(0, faultWindow.toNanos() - 1_000_000_000L) * random.nextDouble());
        boolean killed = false;
        while (System.nanoTime() < end) {
          faults.clear();
          applyApiFaults(faults, random);
          cloud
              .errorRate(random.nextDouble() * 0.2)
              .timeoutRate(random.nextDouble() * 0.1, Duration.ofMillis(300 + random.nextInt(1200)))
              .neverRegisterRate(random.nextDouble() * 0.15);
          if (random.nextDouble() < 0.3) {
            pick(cloud.listQuietly(), "spot", random)
                .ifPresent(i -> cloud.interrupt(i.providerId(), Duration.ofSeconds(2)));
          }
          if (random.nextDouble() < 0.1) {
            pick(cloud.listQuietly(), null, random).ifPresent(i -> cloud.vanish(i.providerId()));
          }
          if (random.nextDouble() < 0.1) {
            List<Node> nodes = cluster.operator().state().nodes();
            if (!nodes.isEmpty()
                && cluster.notReady(
                    nodes.get(random.nextInt(nodes.size())).getMetadata().getName())) {
              nodeFaults++;
            }
          }
          if (!killed && (System.nanoTime() >= killAt || System.nanoTime() + 500_000_000L >= end)) {
            killed = true;
            restarts += cluster.restart();
          }
          Thread.sleep(500);
        }
        faults.clear();
        cloud.clearFaults();
      }
      boolean settled = cluster.settle(settleTimeout);
      ChaosInvariants inv = cluster.invariants();
      // The cost is compared once consolidation has nothing left to do, in this run and in the
      // reference run alike: straight after settling, a run may still be mid-way through
      // replacing the nodes a fault made it buy, and the reference run mid-way through its own.
      // A converged cluster must still hold every invariant, so they are measured again then;
      // one that did not converge in time keeps the settled measurement (mid-replacement, a
      // claim is legitimately not initialized yet).
      boolean converged = settled && cluster.converge(settleTimeout);
      if (converged) {
        inv = cluster.invariants();
      }
      Result r =
          new Result(
              cluster.api().faults().injected() + cluster.cloud().injected() + nodeFaults,
              restarts,
              inv.podsLost(),
              inv.leakedInstances(),
              inv.duplicateInstances(),
              inv.stuckNodeClaims(),
              inv.unexplainedPending(),
              cluster.costPerHour());
      out.printf(
          "  run seed %d%s: %s%s%n",
          seed,
          chaos ? "" : " (clean)",
          r,
          !settled ? " [timeout]" : converged ? "" : " [consolidation not converged]");
      out.printf("    nodeclaims: %s%n", cluster.composition());
      if (chaos) {
        out.printf(
            "    cloud faults: %s, nodes NotReady: %d%n", faultCounts(cluster.cloud()), nodeFaults);
        cluster.nodeDetail().forEach(line -> out.printf("      %s%n", line));
      }
      return r;
    }
  }

  /**
   * The provider settings of one run: for the simulated cloud, chaos's own (the AWS catalog, short
   * launch latency, the run's seed, capacity errors on three seeded spot offerings); for any other
   * provider none, since its settings are its own. {@code given} ({@code --provider-setting}) is
   * applied last and wins, so a plugin author can point the run at the plugin's test backend.
   */
  static Map<String, String> providerSettings(
      String provider, Map<String, String> given, long seed, Random random) {
    Map<String, String> settings = new HashMap<>();
    if (SIMULATED.equals(provider)) {
      settings.put("catalog", "aws");
      settings.put("launchLatency", "500ms");
      settings.put("startupTaintDelay", "200ms");
      settings.put("seed", Long.toString(seed));
      // Capacity errors on a few spot offerings are a standing condition of the whole run, not a
      // transient fault: the fault-free reference run has them too, so that the cost comparison
      // measures what the transient faults cost, not the dearer offerings ICE forces on both.
      settings.put("iceOfferings", iceOfferings(random));
    }
    settings.putAll(given);
    return settings;
  }

  private static void awaitFirstLaunch(ChaosCloud cloud, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (cloud.listQuietly().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private static String faultCounts(ChaosCloud cloud) {
    StringBuilder sb = new StringBuilder();
    for (var kind : ChaosCloud.Fault.values()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(kind).append('=').append(cloud.injected(kind));
    }
    return sb.toString();
  }

  /** A running instance (of this capacity type when given), chosen by the seed. */
  private static java.util.Optional<Instance> pick(
      List<Instance> instances, String capacityType, Random random) {
    List<Instance> candidates =
        instances.stream()
            .filter(i -> capacityType == null || capacityType.equals(i.capacityType()))
            .filter(i -> !"terminated".equals(i.state()) && !"shutting-down".equals(i.state()))
            .sorted(java.util.Comparator.comparing(Instance::providerId))
            .toList();
    return candidates.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(candidates.get(random.nextInt(candidates.size())));
  }

  private static void applyApiFaults(Faults faults, Random random) {
    String[] verbs = {"create", "update", "patch", "delete", "get", "list"};
    String[] kinds = {"nodeclaims", "nodes", "pods", "*"};
    int[] codes = {409, 429, 500};
    faults.error(
        verbs[random.nextInt(verbs.length)],
        kinds[random.nextInt(kinds.length)],
        0.05 + 0.25 * random.nextDouble(),
        codes[random.nextInt(codes.length)]);
    faults.latency(Duration.ofMillis(50 + random.nextInt(250)), 0.1);
    faults.dropWatches(0.3, Duration.ofMillis(500 + random.nextInt(1500)));
  }

  /** A few offerings that always fail with insufficient capacity, chosen by the seed. */
  private static String iceOfferings(Random random) {
    String[] types = {"m5.large", "c5.large", "m6i.large", "r5.large", "c6i.xlarge", "m5.xlarge"};
    String[] zones = {"us-east-1a", "us-east-1b", "us-east-1c", "*"};
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(types[random.nextInt(types.length)])
          .append('/')
          .append(zones[random.nextInt(zones.length)])
          .append("/spot");
    }
    return sb.toString();
  }
}
