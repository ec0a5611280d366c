package dev.dovetail.azure.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Azure provider's settings (the chart's {@code settings.azure} block, {@code
 * --provider-setting} or {@code DOVETAIL_PROVIDER_*}), named as upstream's {@code
 * karpenter-provider-azure} options. {@link #toString()} never prints the bootstrap token.
 *
 * @param subscriptionId subscription of the cluster's resources (required)
 * @param tenantId Entra tenant (required; DefaultAzureCredential authenticates in it)
 * @param location Azure region, e.g. {@code eastus} (required)
 * @param clusterName the cluster name, tagged on every VM as {@code karpenter.azure.com_cluster}
 * @param nodeResourceGroup the AKS node resource group VMs and NICs live in (required)
 * @param vnetSubnetId the default subnet of node NICs (required; AKSNodeClass may override)
 * @param kubeletIdentityId resource id of the kubelet's user-assigned identity (optional)
 * @param kubeletIdentityClientId its client id, passed to the node (optional)
 * @param clusterEndpoint the API server URL nodes join (required)
 * @param kubernetesVersion the cluster's Kubernetes version (required)
 * @param bootstrapToken the TLS bootstrap token nodes join with (secret; optional)
 * @param sshPublicKey the admin user's public key (optional; a placeholder key otherwise)
 * @param armEndpoint Azure Resource Manager URL; {@code http://} only for emulators and tests,
 *     where requests go unauthenticated
 * @param pricingEndpoint the Retail Prices API base URL
 * @param pollInterval how often long-running operations are polled
 * @param maxRetries retries of a throttled or failed ARM call before giving up
 * @param retryBaseDelay first back-off when the response has no Retry-After
 * @param retryMaxDelay longest back-off (and cap on Retry-After)
 * @param httpTimeout read timeout of one ARM request (a timed-out request is retried)
 */
public record AzureSettings(
    String subscriptionId,
    String tenantId,
    String location,
    String clusterName,
    String nodeResourceGroup,
    String vnetSubnetId,
    String kubeletIdentityId,
    String kubeletIdentityClientId,
    String clusterEndpoint,
    String kubernetesVersion,
    String bootstrapToken,
    String sshPublicKey,
    String armEndpoint,
    String pricingEndpoint,
    Duration pollInterval,
    int maxRetries,
    Duration retryBaseDelay,
    Duration retryMaxDelay,
    Duration httpTimeout) {

  public static final String DEFAULT_ARM = "https://management.azure.com";
  public static final String DEFAULT_PRICING = "https://prices.azure.com";

  /**
   * Reads the settings. Every missing required one is named in the exception message.
   *
   * @param clusterName the core's cluster name (used when no {@code clusterName} setting is given)
   * @param setting looks a setting up by name (see {@code ProviderContext.setting})
   */
  public static AzureSettings from(String clusterName, Function<String, Optional<String>> setting) {
    List<String> missing = new ArrayList<>();
    Reader r = new Reader(setting, missing);
    String cluster = r.optional("clusterName", clusterName);
    if (cluster == null || cluster.isBlank()) {
      missing.add("clusterName");
    }
    AzureSettings s =
        new AzureSettings(
            r.required("subscriptionID"),
            r.required("tenantID"),
            r.required("location"),
            cluster,
            r.required("nodeResourceGroup"),
            r.required("vnetSubnetID"),
            r.optional("kubeletIdentityID", null),
            r.optional("kubeletIdentityClientID", null),
            r.required("clusterEndpoint"),
            r.required("kubernetesVersion"),
            r.optional("bootstrapToken", null),
            r.optional("sshPublicKey", null),
            stripSlash(r.optional("armEndpoint", DEFAULT_ARM)),
            stripSlash(r.optional("pricingEndpoint", DEFAULT_PRICING)),
            r.duration("pollIntervalMs", 5000),
            r.integer("maxRetries", 5),
            r.duration("retryBaseDelayMs", 500),
            r.duration("retryMaxDelayMs", 60_000),
            r.duration("httpTimeoutMs", 60_000));
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "azure provider: missing required setting(s) "
              + String.join(", ", missing)
              + " (set them in the chart's settings.azure block, with --provider-setting"
              + " key=value or DOVETAIL_PROVIDER_<KEY>)");
    }
    if (!s.vnetSubnetId.matches(
        "(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Network/virtualNetworks/[^/]+/subnets/[^/]+$")) {
      throw new IllegalArgumentException(
          "azure provider: setting vnetSubnetID is not a subnet resource id: " + s.vnetSubnetId);
    }
    return s;
  }

  /** Whether ARM is reached over plain HTTP (an emulator or WireMock): no bearer token then. */
  public boolean insecureEndpoint() {
    return armEndpoint.startsWith("http://");
  }

  @Override
  public String toString() {
    return "AzureSettings[subscriptionId="
        + subscriptionId
        + ", tenantId="
        + tenantId
        + ", location="
        + location
        + ", clusterName="
        + clusterName
        + ", nodeResourceGroup="
        + nodeResourceGroup
        + ", vnetSubnetId="
        + vnetSubnetId
        + ", kubeletIdentityClientId="
        + kubeletIdentityClientId
        + ", clusterEndpoint="
        + clusterEndpoint
        + ", kubernetesVersion="
        + kubernetesVersion
        + ", bootstrapToken="
        + (bootstrapToken == null ? "<unset>" : "<redacted>")
        + ", armEndpoint="
        + armEndpoint
        + ", pricingEndpoint="
        + pricingEndpoint
        + "]";
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private record Reader(Function<String, Optional<String>> setting, List<String> missing) {
    String required(String key) {
      Optional<String> v = setting.apply(key).filter(x -> !x.isBlank());
      if (v.isEmpty()) {
        missing.add(key);
        return "";
      }
      return v.get().trim();
    }

    String optional(String key, String fallback) {
      return setting.apply(key).filter(x -> !x.isBlank()).map(String::trim).orElse(fallback);
    }

    int integer(String key, int fallback) {
      String v = optional(key, null);
      if (v == null) {
        return fallback;
      }
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "azure provider: setting " + key + " is not an integer: " + v, e);
      }
    }

    Duration duration(String key, int fallbackMs) {
      return Duration.ofMillis(integer(key, fallbackMs));
    }
  }
}
