package dev.dovetail.bench;

import dev.dovetail.controllers.disruption.model.ClusterModel;
import dev.dovetail.controllers.disruption.model.ConsolidationScenario;
import dev.dovetail.controllers.disruption.model.DisruptionPlanner;
import dev.dovetail.scheduling.Scheduler;
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
 * One full consolidation pass (emptiness, multi-node, single-node; each command applied to the
 * model until the NodePool's 10% budget is used up or nothing more is found) over a fragmented
 * cluster of {@code nodes} nodes carrying ten pods each (ConsolidationScenario, seed 42).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Benchmark)
public class ConsolidationBenchmark {
  @Param({"100", "1000", "5000"})
  public int nodes;

  @Param({"10%"})
  public String budget;

  ClusterModel model;
  DisruptionPlanner planner;

  @Setup(Level.Trial)
  public void setUp() {
    model =
        ConsolidationScenario.build(nodes, nodes * 10, ConsolidationScenario.catalog(), budget, 42);
    // no wall-clock limits: every iteration does the same work, whatever the machine's load
    planner =
        new DisruptionPlanner(new Scheduler(), DisruptionPlanner.Options.DEFAULT.withoutTimeouts());
  }

  @Benchmark
  public ConsolidationScenario.PassResult pass() {
    return ConsolidationScenario.pass(model, planner);
  }
}
