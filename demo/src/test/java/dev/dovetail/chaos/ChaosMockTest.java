package dev.dovetail.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A short chaos run on the embedded API server and the simulated cloud: invariants hold. */
class ChaosMockTest {
  @Test
  void controllersKeepTheInvariantsUnderFaultsAndARestart() throws Exception {
    ChaosReport report =
        new Chaos(
                SimulatedCloud::new,
                java.util.Map.of(),
                1,
                3,
                40,
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                new PrintStream(System.out))
            .run();

    assertThat(report.runs()).isEqualTo(1);
    assertThat(report.faultsInjected()).isPositive();
    assertThat(report.restarts()).isPositive();
    // The cost bound is a figure of the long sweep (RELIABILITY.md), checked by ChaosReportTest;
    // one short run on a loaded machine may end before consolidation converges.
    assertThat(report.violations()).allMatch(v -> v.startsWith("costOverCleanRun="));
    assertThat(report.podsLost()).isZero();
    assertThat(report.leakedInstances()).isZero();
    assertThat(report.duplicateInstances()).isZero();
    assertThat(report.stuckNodeClaims()).isZero();
    assertThat(report.unexplainedPending()).isZero();
  }
}
