package dev.dovetail.simulate;

import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.time.Clock;
import java.util.Map;

/** The simulated cloud started as {@code dovetail simulate} starts it, for the simulate tests. */
final class SimulatedClouds {
  private SimulatedClouds() {}

  static SimulatedCloud started(String catalog) {
    SimulatedCloud cloud = new SimulatedCloud();
    cloud.start(
        new ProviderContext(
            "simulate",
            Map.of("catalog", catalog),
            Clock.systemUTC(),
            NodeRegistrar.NONE,
            InterruptionListener.IGNORE));
    return cloud;
  }
}
