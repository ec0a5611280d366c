package dev.dovetail.cli;

import dev.dovetail.bench.workload.BenchmarkWorkload;
import dev.dovetail.bench.workload.ExistingCluster;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingInput;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dovetail bench scheduling}: solves Karpenter's benchmark workload (after warm-up) and
 * prints the median duration, nodes, $/h and the ratio to a lower bound.
 */
@Command(
    name = "scheduling",
    mixinStandardHelpOptions = true,
    description =
        "Benchmark the scheduling engine on Karpenter's workload (shared/bench/WORKLOAD.md).")
public final class BenchSchedulingCommand implements Callable<Integer> {

  @Option(names = "--pods", description = "number of pods (default ${DEFAULT-VALUE})")
  int pods = 1000;

  @Option(names = "--json", description = "print one JSON object on stdout")
  boolean json;

  @Option(
      names = "--workload",
      description = "diverse | preferences | preferences-ignored (default ${DEFAULT-VALUE})")
  String workload = "diverse";

  @Option(names = "--instance-types", description = "catalog size (default ${DEFAULT-VALUE})")
  int instanceTypes = 400;

  @Option(names = "--runs", description = "timed solves; the median is reported (min 3)")
  int runs = 5;

  @Option(names = "--warmup", description = "untimed solves first (default ${DEFAULT-VALUE})")
  int warmup = 5;

  @Option(names = "--seed", description = "pod generator seed (default ${DEFAULT-VALUE})")
  long seed = BenchmarkWorkload.SEED;

  @Option(
      names = "--existing-pods",
      description =
          "first place this many diverse pods (seed --existing-seed) and realise the placement as"
              + " running nodes with those pods bound; the timed solve then runs against them"
              + " (default ${DEFAULT-VALUE}: a fresh cluster)")
  int existingPods = 0;

  @Option(
      names = "--existing-seed",
      description = "generator seed of the existing pods (default ${DEFAULT-VALUE})")
  long existingSeed = 43;

  /** Wall and cpu medians of the timed solves, with the spread of the wall times. */
  record Timing(double medianMs, double minMs, double maxMs, double cpuMs, long allocatedBytes) {}

  @Override
  public Integer call() {
    if (pods < 0 || existingPods < 0 || instanceTypes < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--pods and --existing-pods must be at least 0, --instance-types at least 1");
    }
    List<InstanceType> types = BenchmarkWorkload.instanceTypes(instanceTypes);
    NodePoolTemplate pool = BenchmarkWorkload.nodePool(types);
    boolean prefs = workload.startsWith("preferences");
    List<SchedulingPod> podList =
        prefs
            ? BenchmarkWorkload.preferencePods(pods, seed)
            : BenchmarkWorkload.diversePods(pods, seed);
    SchedulingOptions options =
        SchedulingOptions.DEFAULT.withIgnorePreferences(workload.equals("preferences-ignored"));
    Scheduler scheduler = new Scheduler();
    List<ExistingNode> existing = List.of();
    if (existingPods > 0) {
      List<SchedulingPod> old =
          BenchmarkWorkload.diversePods(existingPods, existingSeed, "existing-");
      SchedulingResult placed =
          scheduler.solve(new SchedulingInput(old, List.of(), List.of(pool), options));
      existing = ExistingCluster.realise(placed, old);
    }
    SchedulingInput input = new SchedulingInput(podList, existing, List.of(pool), options);
    resetPeaks();
    Timing t = time(scheduler, input);
    SchedulingResult result = scheduler.solve(input);
    long peakHeap = peakHeap();
    Timing fresh =
        existing.isEmpty()
            ? t
            : time(scheduler, new SchedulingInput(podList, List.of(), List.of(pool), options));
    double cost = BenchmarkWorkload.cost(result);
    double bound = BenchmarkWorkload.lowerBound(podList, types);
    double nodeBound = BenchmarkWorkload.lowerBoundWithNodes(podList, types);
    int nodes = result.newNodeClaims().size();
    int onExisting = result.placements().size();
    int unschedulable = result.unschedulable().size();
    if (json) {
      System.out.printf(
          Locale.ROOT,
          "{\"pods\":%d,\"durationMs\":%.3f,\"minMs\":%.3f,\"maxMs\":%.3f,\"cpuMs\":%.3f,"
              + "\"nodes\":%d,\"costPerHour\":%.4f,\"lowerBoundCostPerHour\":%.4f,"
              + "\"lowerBoundWithNodesCostPerHour\":%.4f,\"ratioToLowerBoundWithNodes\":%.4f,"
              + "\"unschedulable\":%d%s}%n",
          pods,
          t.medianMs(),
          t.minMs(),
          t.maxMs(),
          t.cpuMs(),
          nodes,
          cost,
          bound,
          nodeBound,
          nodeBound == 0 ? 0 : cost / nodeBound,
          unschedulable,
          existing.isEmpty()
              ? ""
              : String.format(
                  Locale.ROOT,
                  ",\"existingPods\":%d,\"existingNodes\":%d,\"placedOnExisting\":%d,"
                      + "\"freshDurationMs\":%.3f,\"freshCpuMs\":%.3f,\"ratioToFresh\":%.3f",
                  existingPods,
                  existing.size(),
                  onExisting,
                  fresh.medianMs(),
                  fresh.cpuMs(),
                  t.cpuMs() / fresh.cpuMs()));
    } else {
      System.out.printf(
          Locale.ROOT,
          "workload %s, %d pods, %d instance types, seed %d%n"
              + "duration  %.3f ms wall (min %.3f, max %.3f), %.3f ms cpu (medians of %d solves"
              + " after %d warm-up)%n"
              + "nodes     %d new%n"
              + "cost      %.4f $/h (lower bound %.4f, ratio %.4f; with node overhead and forced"
              + " nodes %.4f, ratio %.4f)%n"
              + "unschedulable %d%n"
              + "allocated %.1f MB per solve; peak heap %.1f MB; max heap %.1f MB%n",
          workload,
          pods,
          instanceTypes,
          seed,
          t.medianMs(),
          t.minMs(),
          t.maxMs(),
          t.cpuMs(),
          Math.max(3, runs),
          warmup,
          nodes,
          cost,
          bound,
          bound == 0 ? 0 : cost / bound,
          nodeBound,
          nodeBound == 0 ? 0 : cost / nodeBound,
          unschedulable,
          t.allocatedBytes() / 1e6,
          peakHeap / 1e6,
          Runtime.getRuntime().maxMemory() / 1e6);
      if (!existing.isEmpty()) {
        System.out.printf(
            Locale.ROOT,
            "existing  %d nodes holding %d pods (seed %d); %d new pods placed on them%n"
                + "fresh     %.3f ms wall, %.3f ms cpu on an empty cluster (ratio %.2f by cpu)%n",
            existing.size(),
            existingPods,
            existingSeed,
            onExisting,
            fresh.medianMs(),
            fresh.cpuMs(),
            t.cpuMs() / fresh.cpuMs());
      }
    }
    return unschedulable == 0 ? 0 : 2;
  }

  private Timing time(Scheduler scheduler, SchedulingInput input) {
    for (int i = 0; i < warmup; i++) {
      scheduler.solve(input);
    }
    int n = Math.max(3, runs);
    long[] nanos = new long[n];
    long[] cpuNanos = new long[n];
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long allocBefore = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < n; i++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      scheduler.solve(input);
      nanos[i] = System.nanoTime() - t0;
      cpuNanos[i] = threads.getCurrentThreadCpuTime() - c0;
    }
    long allocated = (threads.getThreadAllocatedBytes(tid) - allocBefore) / n;
    Arrays.sort(nanos);
    Arrays.sort(cpuNanos);
    return new Timing(
        nanos[n / 2] / 1e6, nanos[0] / 1e6, nanos[n - 1] / 1e6, cpuNanos[n / 2] / 1e6, allocated);
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** Runs the command standalone: {@code java -cp ... dev.dovetail.cli.BenchSchedulingCommand}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchSchedulingCommand()).execute(args));
  }
}
