package dev.dovetail.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.controllers.Harness;
import dev.dovetail.controllers.PeriodicController;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import org.junit.jupiter.api.Test;

/** Every controller loop the operator starts reports to the liveness probe, and stops cleanly. */
class OperatorLivenessMockTest {
  @Test
  void everyLoopHasAHeartbeatAndTheOperatorStopsThemAll() {
    try (Harness h = new Harness()) {
      h.start(
          new SimulatedCloud(),
          Harness.settings()
              .withFeatureGates(
                  FeatureGates.parse(
                      "NodeRepair=true,NodeOverlay=true,StaticCapacity=true,CapacityBuffer=true")),
          Harness.simulated(),
          DovetailOperator.Listeners.NONE);
      DovetailOperator op = h.dovetail;
      assertThat(op.periodicControllers())
          .extracting(PeriodicController::name)
          .containsExactlyInAnyOrder(
              "interruption",
              "disruption",
              "nodeclass",
              "nodeclass.resync",
              "node.health",
              "nodeclaim.garbagecollection",
              "nodepool.status",
              "capacitybuffer",
              "nodeoverlay",
              "staticcapacity",
              "nodeclaim.disruption",
              "nodeclaim.expiration");
      // the periodic loops through the helper, plus the watch-driven ones
      assertThat(op.liveness().loopNames())
          .containsAll(op.periodicControllers().stream().map(PeriodicController::name).toList())
          .contains("provisioner", "nodeclaim.lifecycle", "node.termination");
      assertThat(op.liveness().check().alive()).isTrue();

      op.close();
      assertThat(op.liveness().loopNames())
          .doesNotContainAnyElementsOf(
              op.periodicControllers().stream().map(PeriodicController::name).toList());
    }
  }
}
