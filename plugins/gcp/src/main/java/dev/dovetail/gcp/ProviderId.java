package dev.dovetail.gcp;

import dev.dovetail.cloudprovider.NodeClaimNotFoundException;

/**
 * A GCE providerID, {@code gce://<project>/<zone>/<instance>}, as the GCP cloud controller sets it.
 */
public record ProviderId(String project, String zone, String name) {
  public static final String SCHEME = "gce://";

  /**
   * Parses a providerID; one that is not GCE's names no instance of this provider.
   *
   * @throws NodeClaimNotFoundException for anything but {@code gce://project/zone/name}
   */
  public static ProviderId parse(String providerId) {
    if (providerId == null || !providerId.startsWith(SCHEME)) {
      throw new NodeClaimNotFoundException("not a GCE providerID: " + providerId);
    }
    String[] parts = providerId.substring(SCHEME.length()).split("/");
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new NodeClaimNotFoundException("not a GCE providerID: " + providerId);
    }
    return new ProviderId(parts[0], parts[1], parts[2]);
  }

  @Override
  public String toString() {
    return SCHEME + project + "/" + zone + "/" + name;
  }
}
