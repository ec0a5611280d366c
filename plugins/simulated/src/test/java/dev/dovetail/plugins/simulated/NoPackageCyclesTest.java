package dev.dovetail.plugins.simulated;

import dev.dovetail.cloudprovider.testkit.PackageCycles;
import org.junit.jupiter.api.Test;

/**
 * No package of this plugin depends on itself through others (one slice per package): one package
 * today, so the rule guards the packages to come.
 */
class NoPackageCyclesTest {
  @Test
  void packagesAreFreeOfCycles() {
    PackageCycles.assertNone(SimulatedCloud.class, "dev.dovetail.plugins.(**)");
  }
}
