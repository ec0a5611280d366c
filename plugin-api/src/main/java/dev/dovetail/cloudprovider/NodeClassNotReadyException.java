package dev.dovetail.cloudprovider;

/** The NodeClass is not resolved yet (no subnets, no image, ...); the launch is retried later. */
public class NodeClassNotReadyException extends CloudProviderException {
  public NodeClassNotReadyException(String message) {
    super(message);
  }
}
