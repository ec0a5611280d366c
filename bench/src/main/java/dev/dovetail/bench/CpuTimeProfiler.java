package dev.dovetail.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation beside JMH's wall time ({@code -prof dev.dovetail.bench.CpuTimeProfiler}):
 * on this shared machine (load average often 10–40 on 2 cores) a niced benchmark thread waits for a
 * core for most of its wall time, so {@code ns/op} measures the neighbours; the CPU a thread was
 * given does not. {@code cpu.threads.norm}: the CPU of the fork's Java threads (the benchmark's
 * worker, JMH's own idle threads) per operation; {@code cpu.process.norm}: the whole fork's, its GC
 * and JIT included, per operation. Both are counted over the iteration and divided by all its
 * operations, as {@code -prof gc} does for bytes.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private Map<Long, Long> threadsBefore = Map.of();
  private long processBefore;

  @Override
  public String getDescription() {
    return "CPU time (Java threads, whole process) per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    threadsBefore = threadCpu();
    processBefore = os.getProcessCpuTime();
  }

  @Override
  public List<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long process = os.getProcessCpuTime() - processBefore;
    long javaThreads = 0;
    for (Map.Entry<Long, Long> e : threadCpu().entrySet()) {
      javaThreads += e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0L);
    }
    double ops = Math.max(1, result.getMetadata().getAllOps());
    return List.of(
        new ScalarResult("cpu.threads.norm", javaThreads / ops, "ns/op", AggregationPolicy.AVG),
        new ScalarResult("cpu.process.norm", process / ops, "ns/op", AggregationPolicy.AVG));
  }

  private Map<Long, Long> threadCpu() {
    Map<Long, Long> out = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      if (t >= 0) {
        out.put(id, t);
      }
    }
    return out;
  }
}
