package dev.dovetail.bench;

import dev.dovetail.bench.workload.BenchmarkWorkload;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingInput;
import dev.dovetail.scheduling.SchedulingOptions;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Karpenter's scheduling benchmark (shared/bench/WORKLOAD.md): {@code InstanceTypes(400)}, one
 * NodePool, {@code makeDiversePods(N)}; one op = one full solve.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class SchedulingBenchmark {

  /** The diverse workload. */
  @State(Scope.Benchmark)
  public static class Diverse {
    @Param({"1", "50", "100", "500", "1000", "2000", "5000", "10000", "20000"})
    public int pods;

    SchedulingInput input;

    @Setup(Level.Trial)
    public void setUp() {
      List<InstanceType> types = BenchmarkWorkload.instanceTypes(400);
      input =
          new SchedulingInput(
              BenchmarkWorkload.diversePods(pods, BenchmarkWorkload.SEED),
              List.of(),
              List.of(BenchmarkWorkload.nodePool(types)),
              SchedulingOptions.DEFAULT);
    }
  }

  /** makePreferencePods(4000), with preferences respected and ignored. */
  @State(Scope.Benchmark)
  public static class Preferences {
    @Param({"false", "true"})
    public boolean ignore;

    SchedulingInput input;

    @Setup(Level.Trial)
    public void setUp() {
      List<InstanceType> types = BenchmarkWorkload.instanceTypes(400);
      input =
          new SchedulingInput(
              BenchmarkWorkload.preferencePods(4000, BenchmarkWorkload.SEED),
              List.of(),
              List.of(BenchmarkWorkload.nodePool(types)),
              SchedulingOptions.DEFAULT.withIgnorePreferences(ignore));
    }
  }

  @Benchmark
  public SchedulingResult diverse(Diverse s) {
    return new Scheduler().solve(s.input);
  }

  @Benchmark
  public SchedulingResult preferences(Preferences s) {
    return new Scheduler().solve(s.input);
  }
}
