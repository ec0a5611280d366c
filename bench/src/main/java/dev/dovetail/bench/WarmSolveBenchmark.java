package dev.dovetail.bench;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Solves the way a running controller does: one long-lived {@link Scheduler} and an unchanged
 * catalog (the same {@code InstanceType} objects), so instance types are compiled once. {@code
 * onePod}: Karpenter's 1-pod benchmark (164 µs upstream); {@code existingCluster}: 20,000 diverse
 * pods (seed 42) against the running nodes that hold 40,000 (seed 43).
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class WarmSolveBenchmark {

  /** One pending pod, one NodePool over 400 types. */
  @State(Scope.Benchmark)
  public static class OnePod {
    final Scheduler scheduler = new Scheduler();
    SchedulingInput input;

    @Setup(Level.Trial)
    public void setUp() {
      List<InstanceType> types = BenchmarkWorkload.instanceTypes(400);
      input =
          new SchedulingInput(
              BenchmarkWorkload.diversePods(1, BenchmarkWorkload.SEED),
              List.of(),
              List.of(BenchmarkWorkload.nodePool(types)),
              SchedulingOptions.DEFAULT);
    }
  }

  /** 20,000 new pods against 40,000 running ones. */
  @State(Scope.Benchmark)
  public static class Existing {
    final Scheduler scheduler = new Scheduler();
    SchedulingInput input;

    @Setup(Level.Trial)
    public void setUp() {
      NodePoolTemplate pool = BenchmarkWorkload.nodePool(BenchmarkWorkload.instanceTypes(400));
      List<SchedulingPod> old = BenchmarkWorkload.diversePods(40_000, 43, "existing-");
      List<ExistingNode> nodes =
          ExistingCluster.realise(
              scheduler.solve(SchedulingInput.of(old, List.of(), List.of(pool))), old);
      input =
          SchedulingInput.of(
              BenchmarkWorkload.diversePods(20_000, BenchmarkWorkload.SEED), nodes, List.of(pool));
    }
  }

  /** Sampled: the median is the figure (a shared machine's preemptions inflate the mean). */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public SchedulingResult onePod(OnePod s) {
    return s.scheduler.solve(s.input);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public SchedulingResult existingCluster(Existing s) {
    return s.scheduler.solve(s.input);
  }
}
