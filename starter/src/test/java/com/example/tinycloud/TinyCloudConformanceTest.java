package com.example.tinycloud;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dovetail's CloudProvider contract, run against TinyCloud. Every test comes from the kit; a class
 * in which none ran fails. Point startProvider() at a fake of your cloud (WireMock with your SDK's
 * endpoint override, or an in-memory stand-in) so it runs offline in CI.
 */
class TinyCloudConformanceTest extends CloudProviderConformanceTest {

  private TinyCloud cloud;

  @Override
  protected CloudProvider startProvider() {
    cloud = new TinyCloud();
    cloud.start(
        new ProviderContext(
            "conformance",
            Map.of(),
            Clock.systemUTC(),
            NodeRegistrar.NONE,
            InterruptionListener.IGNORE));
    return cloud;
  }

  @Override
  protected boolean forceInsufficientCapacity(OfferingKey offering) {
    cloud.exhaust(offering);
    return true;
  }

  /** The kit's randomized pass: no leaked, duplicated or lost instance over 40 operations. */
  @Test
  void chaos() {
    chaosPass(40, Long.getLong("chaos.seed", 42L));
  }
}
