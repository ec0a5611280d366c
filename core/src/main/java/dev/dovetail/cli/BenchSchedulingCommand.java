package dev.dovetail.cli;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingInput;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import dev.dovetail.scheduling.workload.BenchmarkWorkload;
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

  @Override
  public Integer call() {
    List<InstanceType> types = BenchmarkWorkload.instanceTypes(instanceTypes);
    boolean prefs = workload.startsWith("preferences");
    List<SchedulingPod> podList =
        prefs
            ? BenchmarkWorkload.preferencePods(pods, seed)
            : BenchmarkWorkload.diversePods(pods, seed);
    SchedulingOptions options =
        SchedulingOptions.DEFAULT.withIgnorePreferences(workload.equals("preferences-ignored"));
    SchedulingInput input =
        new SchedulingInput(
            podList, List.of(), List.of(BenchmarkWorkload.nodePool(types)), options);
    Scheduler scheduler = new Scheduler();
    SchedulingResult result = null;
    for (int i = 0; i < warmup; i++) {
      result = scheduler.solve(input);
    }
    int n = Math.max(3, runs);
    long[] nanos = new long[n];
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    resetPeaks();
    long allocBefore = threads.getThreadAllocatedBytes(tid);
    long[] cpuNanos = new long[n];
    for (int i = 0; i < n; i++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      result = scheduler.solve(input);
      nanos[i] = System.nanoTime() - t0;
      cpuNanos[i] = threads.getCurrentThreadCpuTime() - c0;
    }
    Arrays.sort(cpuNanos);
    long allocated = (threads.getThreadAllocatedBytes(tid) - allocBefore) / n;
    long peakHeap = peakHeap();
    Arrays.sort(nanos);
    double medianMs = nanos[n / 2] / 1e6;
    double cost = BenchmarkWorkload.cost(result);
    double bound = BenchmarkWorkload.lowerBound(podList, types);
    int nodes = result.newNodeClaims().size();
    int unschedulable = result.unschedulable().size();
    if (json) {
      System.out.printf(
          Locale.ROOT,
          "{\"pods\":%d,\"durationMs\":%.3f,\"nodes\":%d,\"costPerHour\":%.4f,"
              + "\"lowerBoundCostPerHour\":%.4f,\"unschedulable\":%d}%n",
          pods,
          medianMs,
          nodes,
          cost,
          bound,
          unschedulable);
    } else {
      System.out.printf(
          Locale.ROOT,
          "workload %s, %d pods, %d instance types, seed %d%n"
              + "duration  %.3f ms wall, %.3f ms cpu (medians of %d solves after %d warm-up)%n"
              + "nodes     %d%n"
              + "cost      %.4f $/h (lower bound %.4f, ratio %.4f)%n"
              + "unschedulable %d%n"
              + "allocated %.1f MB per solve; peak heap %.1f MB; max heap %.1f MB%n",
          workload,
          pods,
          instanceTypes,
          seed,
          medianMs,
          cpuNanos[n / 2] / 1e6,
          n,
          warmup,
          nodes,
          cost,
          bound,
          bound == 0 ? 0 : cost / bound,
          unschedulable,
          allocated / 1e6,
          peakHeap / 1e6,
          Runtime.getRuntime().maxMemory() / 1e6);
    }
    return unschedulable == 0 ? 0 : 2;
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
