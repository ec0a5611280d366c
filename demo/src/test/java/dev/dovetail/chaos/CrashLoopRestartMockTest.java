package dev.dovetail.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A restarted operator whose start fails (its first list of NodeClasses answered 500, chaos seeds
 * 12 and 33) is started again after a back-off, as its Deployment would be: the run goes on and
 * counts each start as a restart, instead of the harness throwing the run away.
 */
class CrashLoopRestartMockTest {
  @Test
  @Timeout(180)
  void aRestartWhoseStartFailsIsStartedAgain() throws Exception {
    try (ChaosCluster cluster =
        new ChaosCluster(
            new SimulatedCloud(),
            7,
            ChaosCluster.Options.CHAOS,
            Map.of("catalog", "aws", "launchLatency", "200ms", "seed", "7"))) {
      cluster.api().faults().seed(7).error("list", "kwoknodeclasses", 1.0, 500);
      CompletableFuture<Integer> restarted =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return cluster.restart();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
              });
      while (cluster.api().faults().injected() < 1) {
        Thread.sleep(50);
      }
      Thread.sleep(1500); // past the first failed start's back-off
      cluster.api().faults().clear();
      assertThat(restarted.get(150, TimeUnit.SECONDS)).isGreaterThan(1);
      assertThat(cluster.operator().state().synced()).isTrue();
    }
  }
}
