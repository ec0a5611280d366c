package dev.dovetail.cloudprovider;

/** No instance exists (any longer) for the providerID or NodeClaim. */
public class NodeClaimNotFoundException extends CloudProviderException {
  public NodeClaimNotFoundException(String message) {
    super(message);
  }
}
