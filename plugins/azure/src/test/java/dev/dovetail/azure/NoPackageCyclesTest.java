package dev.dovetail.azure;

import dev.dovetail.cloudprovider.testkit.PackageCycles;
import org.junit.jupiter.api.Test;

/** No package of this plugin depends on itself through others (one slice per package). */
class NoPackageCyclesTest {
  @Test
  void packagesAreFreeOfCycles() {
    PackageCycles.assertNone(AzureCloudProvider.class, "dev.dovetail.azure.(**)");
  }
}
