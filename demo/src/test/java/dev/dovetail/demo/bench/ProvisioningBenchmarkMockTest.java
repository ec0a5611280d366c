package dev.dovetail.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A small run of the whole-controller benchmark on the embedded API server. */
class ProvisioningBenchmarkMockTest {
  @Test
  void everyPodIsBoundAndTheCpuIsSplitByRole() throws Exception {
    ProvisioningBenchmark.Options options =
        new ProvisioningBenchmark.Options(
            12,
            "aws",
            42,
            Duration.ofMinutes(4),
            Duration.ofSeconds(1),
            Duration.ZERO,
            2,
            false,
            "1g",
            0,
            dev.dovetail.demo.Workload.Arrival.BY_KIND,
            dev.dovetail.operator.KubeClientRate.DEFAULTS);
    ProvisioningBenchmark.Result r =
        new ProvisioningBenchmark(
                new SimulatedCloud(), options, new PrintStream(PrintStream.nullOutputStream()))
            .run();

    assertThat(r.secondsToAllBound()).isNotNull();
    assertThat(r.bound()).isEqualTo(12);
    assertThat(r.nodeClaims()).isPositive();
    assertThat(r.dollarsPerHour()).isPositive();
    assertThat(r.secondsToAllNodeClaimsCreated()).isPositive();
    assertThat(r.controllerCpuSeconds()).isPositive();
    assertThat(r.apiServerCpuSeconds()).isPositive();
    assertThat(r.peakHeapMiB()).isPositive();
    assertThat(r.peakHeapAfterGcMiB())
        .isBetween(0.0, Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
    assertThat(r.idleSeconds()).isGreaterThanOrEqualTo(1.0);
    // The provisioner created the claims, and the idle window began after all bound.
    assertThat(r.nodeClaimsProvisioned()).isPositive();
    // measured on the run's clock: the last provisioned claim came before the cluster settled
    assertThat(r.secondsFromLastPendingToAllNodeClaims()).isLessThanOrEqualTo(r.secondsToSettled());
    assertThat(r.secondsToSettled()).isGreaterThanOrEqualTo(r.secondsToAllBound());
    assertThat(r.busiestControllerThreads()).isNotEqualTo("-");
    assertThat(r.busiestIdleControllerThreads()).isNotNull();
  }
}
