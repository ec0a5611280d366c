package dev.dovetail.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A small run of {@code bench provisioning --cluster-process}: the API server, the stand-in
 * scheduler and ReplicaSet controller and the pod creates in a JVM of their own, the controllers in
 * this one.
 */
class ClusterProcessBenchmarkMockTest {
  @Test
  void everyPodIsBoundAndTheClusterProcessIsGoneAfterwards() throws Exception {
    ProvisioningBenchmark.Options options =
        new ProvisioningBenchmark.Options(
            20,
            "aws",
            42,
            Duration.ofMinutes(4),
            Duration.ofSeconds(1),
            Duration.ZERO,
            2,
            true,
            "512m",
            5, // niced, as the benchmark can run it: the child must start and be measured the same
            dev.dovetail.demo.Workload.Arrival.MIXED, // the child is told the order
            new dev.dovetail.operator.KubeClientRate(1000, 1000));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ProvisioningBenchmark.Result r =
        new ProvisioningBenchmark(
                new SimulatedCloud(), options, new PrintStream(log, true, StandardCharsets.UTF_8))
            .run();

    assertThat(r.secondsToAllBound()).isNotNull();
    assertThat(r.bound()).isEqualTo(20);
    assertThat(r.nodeClaims()).isPositive();
    assertThat(r.secondsToAllPodsCreated()).isPositive();
    assertThat(r.peakHeapMiB()).isPositive();
    assertThat(r.peakHeapAfterGcMiB())
        .isBetween(0.0, Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
    assertThat(r.controllerCpuSeconds()).isPositive();
    // The cluster's process did the API server's work: its CPU, not this JVM's threads', is that.
    assertThat(r.apiServerCpuSeconds()).isPositive();
    assertThat(r.busiestControllerThreads()).isNotEqualTo("-");
    // No thread of an API server or a stand-in scheduler ran here.
    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .noneMatch(n -> n.startsWith("vert.x-") || n.startsWith("binder"));

    long pid = clusterPid(log.toString(StandardCharsets.UTF_8));
    Optional<ProcessHandle> child = ProcessHandle.of(pid);
    assertThat(child.isEmpty() || !child.get().isAlive())
        .as("cluster process %d ended", pid)
        .isTrue();
  }

  private static long clusterPid(String log) {
    Matcher m = Pattern.compile("cluster process (\\d+):").matcher(log);
    assertThat(m.find()).as("the benchmark names its cluster process: %s", log).isTrue();
    return Long.parseLong(m.group(1));
  }
}
