package dev.dovetail.plugins.simulated;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest;
import java.util.Map;

/** The SPI contract, run against the simulated cloud with its default (aws) catalog. */
class SimulatedCloudConformanceTest extends CloudProviderConformanceTest {
  private SimulatedCloud cloud;

  @Override
  protected CloudProvider startProvider() {
    ManualDelayer time = new ManualDelayer();
    cloud = new SimulatedCloud(time);
    cloud.start(
        new ProviderContext(
            "conformance",
            Map.of(),
            time,
            new RecordingNodeRegistrar(),
            InterruptionListener.IGNORE));
    return cloud;
  }

  @Override
  protected boolean forceInsufficientCapacity(OfferingKey offering) {
    cloud.failOfferings(offering);
    return true;
  }

  /**
   * The kit's short chaos pass: capacity errors, and cloud faults injected by the kit's decorator
   * (timed-out and throttled creates, timed-out deletes, instances that vanish), each retried as
   * the core does; no instance leaked, duplicated or lost.
   */
  @org.junit.jupiter.api.Test
  void chaos() {
    chaosPass(20, Long.getLong("chaos.seed", 42L));
  }
}
