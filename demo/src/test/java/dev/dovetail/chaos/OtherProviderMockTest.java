package dev.dovetail.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.testkit.FaultInjectingCloudProvider;
import dev.dovetail.demo.Workload;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code dovetail chaos --provider NAME} with a plugin other than the simulated cloud: it gets no
 * simulated-cloud settings, and its capacity errors come from {@link ChaosCloud}'s standing
 * no-capacity share instead of the simulated cloud's {@code iceOfferings}.
 */
class OtherProviderMockTest {
  /**
   * A plugin that is not the simulated cloud (another name, its own defaults): the simulated cloud
   * behind a decorator that injects nothing and only renames it.
   */
  static final class OtherCloud extends FaultInjectingCloudProvider {
    OtherCloud() {
      super(new SimulatedCloud(), 0);
    }

    @Override
    public String name() {
      return "othercloud";
    }
  }

  /**
   * Creates whose cheapest offering has no capacity fail with insufficient capacity; the core
   * re-plans (another NodeClaim, the named offerings marked unavailable) and the cluster settles
   * with every pod bound. Without the core's re-planning the refused claims' pods would stay
   * pending.
   */
  @Test
  void standingCapacityErrorsAreReplannedAround() throws Exception {
    try (ChaosCluster c =
        new ChaosCluster(new OtherCloud(), 3, ChaosCluster.Options.CHAOS, Map.of())) {
      c.cloud().standingCapacityErrors(0.5);
      c.run(Workload.pods(12, 3));
      assertThat(c.settle(Duration.ofSeconds(120))).as("settled: %s", c.invariants()).isTrue();
      assertThat(c.cloud().capacityErrors())
          .as("creates refused for lack of capacity")
          .isPositive();
    }
  }

  /** A whole chaos run (fault-free reference run included) on the other plugin. */
  @Test
  void aChaosRunOnAnotherPluginKeepsTheInvariants() throws Exception {
    ChaosReport report =
        new Chaos(
                OtherCloud::new,
                1,
                4,
                30,
                Duration.ofSeconds(5),
                Duration.ofSeconds(90),
                new PrintStream(System.out))
            .run();
    assertThat(report.faultsInjected()).isPositive();
    assertThat(report.restarts()).isPositive();
    assertThat(report.violations()).allMatch(v -> v.startsWith("costOverCleanRun="));
    assertThat(report.podsLost()).isZero();
    assertThat(report.leakedInstances()).isZero();
    assertThat(report.duplicateInstances()).isZero();
    assertThat(report.stuckNodeClaims()).isZero();
    assertThat(report.unexplainedPending()).isZero();
  }
}
