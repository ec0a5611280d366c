package dev.dovetail.cloudprovider.testkit;

import org.junit.jupiter.api.Test;

/**
 * The conformance kit for a provider tested with its real clients against a WireMock cloud: the
 * contract tests plus the {@linkplain #chaosPass chaos pass} with wire faults. The subclass's
 * {@link #startProvider()} resets its WireMock server and hands this base the server's {@link
 * WireFaultStubs} through {@link #useWireFaults}.
 */
public abstract class WireMockConformanceTest extends CloudProviderConformanceTest {
  private WireFaultStubs wireFaults;

  /** The wire faults of the server the provider {@link #startProvider()} started talks to. */
  protected final void useWireFaults(WireFaultStubs stubs) {
    this.wireFaults = stubs;
  }

  @Override
  protected final boolean injectWireFault(CloudCall call, WireFault fault, int times) {
    if (wireFaults == null) {
      throw new IllegalStateException("startProvider() did not call useWireFaults");
    }
    wireFaults.inject(call, fault, times);
    return true;
  }

  @Override
  protected final void clearWireFaults() {
    if (wireFaults != null) {
      wireFaults.clear();
    }
  }

  /**
   * The chaos pass over the wire: the cloud's capacity answers from {@link
   * #forceInsufficientCapacity}, throttling, 5xx and answers held back past the client's timeout on
   * create, get, delete and list, plus the kit's decorator faults. {@code -Dchaos.steps=400} runs
   * longer.
   */
  @Test
  void chaos() {
    chaosPass(chaosSteps(40), chaosSeed());
  }
}
