package dev.dovetail.azure.launch;

import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure providerIDs as the cloud-controller-manager writes them: {@code
 * azure:///subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachines/<name>}.
 */
public final class ProviderIds {
  private static final Pattern ID =
      Pattern.compile(
          "(?i)^azure:///subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Compute/virtualMachines/([^/]+)$");

  private ProviderIds() {}

  /** A VM reference parsed from a providerID. */
  public record VmRef(String subscription, String resourceGroup, String name) {}

  public static String of(String subscription, String resourceGroup, String vmName) {
    return "azure:///subscriptions/"
        + subscription
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/Microsoft.Compute/virtualMachines/"
        + vmName;
  }

  /** From an ARM resource id ({@code /subscriptions/...}). */
  public static String fromResourceId(String armId) {
    return "azure://" + armId;
  }

  /** Parses a providerID; one that is not an Azure VM id names no instance of ours. */
  public static VmRef parse(String providerId) {
    Matcher m = ID.matcher(providerId == null ? "" : providerId);
    if (!m.matches()) {
      throw new NodeClaimNotFoundException("not an Azure VM providerID: " + providerId);
    }
    return new VmRef(m.group(1), m.group(2), m.group(3));
  }
}
