package dev.dovetail.aws.launch;

import dev.dovetail.cloudprovider.NodeClaimNotFoundException;

/**
 * AWS providerIDs: {@code aws:///<zone>/<instance id>}, as the AWS cloud controller writes them.
 */
public final class ProviderIds {
  private ProviderIds() {}

  /** {@code aws:///us-east-1a/i-0123} → {@code i-0123}. */
  public static String instanceId(String providerId) {
    if (providerId == null || !providerId.startsWith("aws://")) {
      throw new NodeClaimNotFoundException("not an AWS providerID: " + providerId);
    }
    String id = providerId.substring(providerId.lastIndexOf('/') + 1);
    if (!id.startsWith("i-")) {
      throw new NodeClaimNotFoundException("not an AWS providerID: " + providerId);
    }
    return id;
  }

  public static String of(String zone, String instanceId) {
    return "aws:///" + (zone == null ? "" : zone) + "/" + instanceId;
  }
}
