package dev.dovetail.chaos;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.testkit.FaultInjectingCloudProvider;

/**
 * One cloud that outlives the operators started on it, with the kit's fault decorator around the
 * provider (so every plugin gets the same cloud faults, interruptions included): an operator's
 * {@code close} (or kill) leaves it running; {@link #shutdown} ends it with the run.
 */
final class ChaosCloud extends FaultInjectingCloudProvider {

  ChaosCloud(CloudProvider cloud, long seed) {
    super(cloud, seed);
  }

  @Override
  public void close() {
    // an operator's close (or kill) leaves the cloud running; shutdown() ends it
  }

  /** Stops the decorator's timer and the real provider at the end of the run. */
  void shutdown() {
    super.close();
  }
}
