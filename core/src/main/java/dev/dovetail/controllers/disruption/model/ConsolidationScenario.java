package dev.dovetail.controllers.disruption.model;

import dev.dovetail.cloudprovider.EksKubeReserved;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingPod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * A fragmented cluster for measuring consolidation: {@code nodes} on-demand nodes of mixed sizes,
 * each carrying a share of {@code pods} pods of mixed sizes at utilizations between 35% and 95%, as
 * a cluster looks after its workload shrank unevenly. Deterministic for a seed.
 */
public final class ConsolidationScenario {
  public static final Instant NOW = Instant.parse("2026-01-05T20:00:00Z");
  private static final long MI = 1L << 20;
  private static final long GI = 1L << 30;
  private static final String[] ZONES = {"zone-a", "zone-b", "zone-c"};

  private ConsolidationScenario() {}

  /**
   * An AWS-like catalog: families c (2 GiB/vCPU), m (4) and r (8), three generations, amd64 and
   * arm64 (20% cheaper), sizes large to 16xlarge, on-demand and spot in three zones.
   */
  public static List<InstanceType> catalog() {
    List<InstanceType> out = new ArrayList<>();
    String[][] families = {{"c", "2", "0.0425"}, {"m", "4", "0.048"}, {"r", "8", "0.063"}};
    String[] sizes = {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"};
    int[] vcpus = {2, 4, 8, 16, 32, 48, 64};
    for (String[] f : families) {
      for (int gen = 5; gen <= 7; gen++) {
        for (String arch : new String[] {"amd64", "arm64"}) {
          String family = f[0] + gen + (arch.equals("arm64") ? "g" : "");
          for (int s = 0; s < sizes.length; s++) {
            int cpu = vcpus[s];
            long mem = cpu * Long.parseLong(f[1]) * GI;
            double od =
                cpu
                    * Double.parseDouble(f[2])
                    * (1 + (gen - 6) * 0.04)
                    * (arch.equals("arm64") ? 0.8 : 1);
            String name = family + "." + sizes[s];
            List<Offering> offerings = new ArrayList<>();
            for (int z = 0; z < ZONES.length; z++) {
              offerings.add(new Offering(ZONES[z], "on-demand", round(od), true));
              double spotShare = 0.3 + ((name.hashCode() * 31 + z) & 0xff) / 1275.0;
              offerings.add(new Offering(ZONES[z], "spot", round(od * spotShare), true));
            }
            long maxPods = cpu <= 2 ? 29 : cpu <= 8 ? 58 : 110;
            out.add(
                new InstanceType(
                    name,
                    Requirements.of(
                        Requirement.in(WellKnownLabels.INSTANCE_TYPE, name),
                        Requirement.in(WellKnownLabels.ARCH, arch),
                        Requirement.in(WellKnownLabels.OS, "linux"),
                        Requirement.in("karpenter.k8s.aws/instance-family", family)),
                    offerings,
                    Resources.of(
                        Resources.CPU, cpu * 1000L, Resources.MEMORY, mem, Resources.PODS, maxPods),
                    new InstanceType.Overhead(
                        Resources.of(
                            Resources.CPU,
                            EksKubeReserved.cpuMillis(cpu * 1000L),
                            Resources.MEMORY,
                            EksKubeReserved.memoryBytes(maxPods)),
                        null,
                        Resources.of(Resources.MEMORY, 100 * MI))));
          }
        }
      }
    }
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  /** The scenario over the given catalog, all nodes in one NodePool with the given budget. */
  public static ClusterModel build(
      int nodes, int pods, List<InstanceType> catalog, String budget, long seed) {
    Random rnd = new Random(seed);
    long[] cpus = {100, 250, 500, 1000, 2000};
    long[] mems = {128 * MI, 512 * MI, GI, 2 * GI, 4 * GI};
    List<InstanceType> launchable =
        catalog.stream()
            .filter(it -> it.cheapestOffering(onDemand()).isPresent())
            .filter(it -> it.capacity().get(Resources.CPU) <= 16_000)
            .sorted(Comparator.comparingDouble(it -> it.cheapestOffering(onDemand()).get().price()))
            .toList();
    List<ExistingNode> existing = new ArrayList<>();
    List<Candidate> candidates = new ArrayList<>();
    int podSeq = 0;
    for (int n = 0; n < nodes; n++) {
      int k = pods / nodes + (n < pods % nodes ? 1 : 0);
      List<SchedulingPod> on = new ArrayList<>();
      Resources sum = Resources.EMPTY;
      for (int i = 0; i < k; i++) {
        SchedulingPod p =
            SchedulingPod.builder("ns" + (podSeq % 20) + "/pod-" + podSeq)
                .namespace("ns" + (podSeq % 20))
                .labels(Map.of("app", "app-" + (podSeq % 50)))
                .requests(cpus[rnd.nextInt(cpus.length)], mems[rnd.nextInt(mems.length)])
                .build();
        podSeq++;
        on.add(p);
        sum = sum.add(p.requests());
      }
      double utilization = 0.35 + rnd.nextDouble() * 0.6;
      Resources target =
          Resources.of(
              Resources.CPU, (long) (sum.get(Resources.CPU) / utilization),
              Resources.MEMORY, (long) (sum.get(Resources.MEMORY) / utilization),
              Resources.PODS, (long) k);
      Resources needed = sum.add(Resources.of(Resources.PODS, (long) k));
      List<InstanceType> fitting =
          launchable.stream().filter(it -> target.fitsIn(it.allocatable())).toList();
      if (fitting.isEmpty()) {
        fitting = launchable.stream().filter(it -> needed.fitsIn(it.allocatable())).toList();
      }
      // not always the cheapest fit: clusters grow by whatever was cheapest at the time
      InstanceType it = fitting.get(Math.min(fitting.size() - 1, rnd.nextInt(3)));
      String zone = ZONES[n % ZONES.length];
      Offering o =
          it.offerings().stream()
              .filter(x -> x.zone().equals(zone) && x.capacityType().equals("on-demand"))
              .findFirst()
              .orElseThrow();
      String name = "node-" + n;
      Map<String, String> labels = new LinkedHashMap<>(it.requirements().singleValueLabels());
      labels.put(WellKnownLabels.ZONE, zone);
      labels.put(WellKnownLabels.CAPACITY_TYPE, "on-demand");
      labels.put(WellKnownLabels.NODE_POOL, "default");
      labels.put(WellKnownLabels.HOSTNAME, name);
      existing.add(
          new ExistingNode(
              name, labels, List.of(), it.allocatable(), needed, on, false, false, "default"));
      candidates.add(
          new Candidate(
              name,
              name,
              "default",
              it.name(),
              "on-demand",
              zone,
              o.price(),
              on,
              NOW.minus(Duration.ofHours(1)),
              null,
              null,
              on.size()));
    }
    NodePoolTemplate pool =
        new NodePoolTemplate(
            "default",
            0,
            onDemand(),
            Map.of(),
            List.of(),
            List.of(),
            null,
            null,
            catalog,
            List.of());
    PoolPolicy policy = PoolPolicy.defaults("default").withBudgets(List.of(BudgetRule.of(budget)));
    return new ClusterModel(
        existing,
        List.of(pool),
        candidates,
        Map.of("default", policy),
        Map.of("default", new ClusterModel.PoolCounts(nodes, 0, Integer.MAX_VALUE)));
  }

  private static Requirements onDemand() {
    return Requirements.of(Requirement.in(WellKnownLabels.CAPACITY_TYPE, "on-demand"));
  }

  /** What one consolidation pass found and what it cost to find. */
  public record PassResult(
      int nodes,
      int pods,
      long durationMs,
      double costPerHourBefore,
      double costPerHourAfter,
      int commands,
      int nodesRemoved,
      int nodesLaunched,
      int podsLost,
      long cpuMs) {}

  /**
   * One full consolidation pass: the planner's methods run, and each command found is applied to
   * the model, until the budget is used up or no method finds anything more.
   */
  public static PassResult pass(ClusterModel model, DisruptionPlanner planner) {
    return passOutcome(model, planner).result();
  }

  /** A pass's result and the cluster it leaves. */
  record Outcome(PassResult result, ClusterModel model) {}

  static Outcome passOutcome(ClusterModel model, DisruptionPlanner planner) {
    int podsBefore = podCount(model);
    double before = ModelUpdates.cost(model);
    // the planner runs on this thread: its cpu time is the pass's cost on a quiet core
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long c0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    int commands = 0;
    int removed = 0;
    int launched = 0;
    while (true) {
      Optional<Command> cmd = planner.plan(model, NOW);
      if (cmd.isEmpty()) {
        break;
      }
      commands++;
      removed += cmd.get().candidates().size();
      launched += cmd.get().replacements().size();
      model = ModelUpdates.apply(model, cmd.get(), NOW);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return new Outcome(
        new PassResult(
            model.candidates().size() - launched + removed,
            podsBefore,
            ms,
            before,
            ModelUpdates.cost(model),
            commands,
            removed,
            launched,
            podsBefore - podCount(model),
            (threads.getCurrentThreadCpuTime() - c0) / 1_000_000),
        model);
  }

  private static int podCount(ClusterModel model) {
    int n = 0;
    for (ExistingNode e : model.nodes()) {
      n += e.pods().size();
    }
    return n;
  }

  /** Consolidation run to its fixed point on the generated cluster (at most maxPasses passes). */
  public static FixedPoint.Result runToFixedPoint(
      int nodes, int pods, List<InstanceType> catalog, String budget, long seed, int maxPasses) {
    ClusterModel model = build(nodes, pods, catalog, budget, seed);
    return FixedPoint.run(model, fixedPointPlanner(System::nanoTime), maxPasses);
  }

  /**
   * The planner the fixed-point runs use: upstream's options without the methods' wall-clock limits
   * ({@link DisruptionPlanner.Options#withoutTimeouts}), so the same cluster reaches the same fixed
   * point by the same commands however loaded the machine is ({@code nanoTime} is then never
   * consulted; a parameter so a test can show it).
   */
  static DisruptionPlanner fixedPointPlanner(LongSupplier nanoTime) {
    return new DisruptionPlanner(
        new Scheduler(), DisruptionPlanner.Options.DEFAULT.withoutTimeouts(), nanoTime);
  }

  /** Convenience for the CLI and benchmarks. */
  public static PassResult run(
      int nodes, int pods, List<InstanceType> catalog, String budget, long seed) {
    ClusterModel model = build(nodes, pods, catalog, budget, seed);
    return pass(
        model,
        new DisruptionPlanner(
            // the benchmark measures every consolidation method, spot-to-spot included
            new Scheduler(),
            DisruptionPlanner.Options.DEFAULT.withSpotToSpot(true).withoutTimeouts()));
  }
}
