package dev.dovetail.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.Harness;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The periodic metrics refresh walks every pod, node and NodeClaim only after the cluster state
 * changed: idle refreshes recompute nothing, and the first refresh after a change shows it.
 */
class MetricsRefreshMockTest {
  @Test
  void idleRefreshesRecomputeNothingAndAChangeIsShownOnTheNextOne() throws Exception {
    Metrics metrics = new Metrics();
    try (Harness h = started(metrics)) {
      var op = h.dovetail;
      // changes are counted by hand here (startRefreshing counts the state's events), so other
      // controllers' writes do not make the count racy
      metrics.refreshIfChanged(op.state(), op.cloud(), op.provisioner());
      assertThat(metrics.fullRefreshes()).isEqualTo(1);
      for (int i = 0; i < 5; i++) {
        metrics.refreshIfChanged(op.state(), op.cloud(), op.provisioner());
      }
      assertThat(metrics.fullRefreshes()).isEqualTo(1);

      h.client.resource(Harness.pendingPod("web-1", "100m", "64Mi")).create();
      Eventually.await(
          Duration.ofSeconds(10),
          () -> op.state().pods().stream().anyMatch(p -> "web-1".equals(p.getMetadata().getName())),
          () -> "pod not in the cache");
      metrics.changed();
      metrics.refreshIfChanged(op.state(), op.cloud(), op.provisioner());
      assertThat(metrics.fullRefreshes()).isEqualTo(2);
      assertThat(metrics.registry().scrape()).contains("name=\"web-1\"");
    }
  }

  @Test
  void aMinuteWithoutAChangeRefreshesWhatMovesWithTimeWithoutWalkingThePods() throws Exception {
    java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    Metrics metrics = new Metrics(nanos::get);
    try (Harness h = started(metrics)) {
      var op = h.dovetail;
      h.client.resource(Harness.pendingPod("web-1", "100m", "64Mi")).create();
      Eventually.await(
          Duration.ofSeconds(10),
          () -> op.state().pods().stream().anyMatch(p -> "web-1".equals(p.getMetadata().getName())),
          () -> "pod not in the cache");
      metrics.refreshIfChanged(op.state(), op.cloud(), op.provisioner());
      assertThat(metrics.fullRefreshes()).isEqualTo(1);

      nanos.addAndGet(Metrics.FULL_REFRESH.toNanos() - 1);
      metrics.refreshIfChanged(op.state(), op.cloud(), op.provisioner());
      assertThat(metrics.timedRefreshes()).as("not a minute yet").isZero();
      nanos.addAndGet(1);
      metrics.refreshIfChanged(op.state(), op.cloud(), op.provisioner());
      assertThat(metrics.timedRefreshes()).isEqualTo(1);
      assertThat(metrics.fullRefreshes()).as("no event: the pods are not walked").isEqualTo(1);
      assertThat(metrics.registry().scrape()).as("the pod rows stay").contains("name=\"web-1\"");

      nanos.addAndGet(Metrics.FULL_REFRESH.toNanos());
      metrics.changed(); // an event and a minute: the full refresh covers both
      metrics.refreshIfChanged(op.state(), op.cloud(), op.provisioner());
      assertThat(metrics.fullRefreshes()).isEqualTo(2);
      assertThat(metrics.timedRefreshes()).isEqualTo(1);
    }
  }

  /** The operator on the embedded API with {@code metrics} as its listeners. */
  private static Harness started(Metrics metrics) {
    return new Harness()
        .start(
            new SimulatedCloud(),
            Harness.settings(),
            Harness.simulated(),
            new DovetailOperator.Listeners(metrics, metrics, InterruptionListener.IGNORE));
  }
}
