package dev.dovetail.aws;

import dev.dovetail.cloudprovider.ProviderContext;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The provider settings of the AWS plugin ({@code --provider-setting key=value}); see the plugin
 * README for the table. Parsed once at start so a typo fails loudly there, not at first launch.
 *
 * @param region AWS region (required)
 * @param clusterName cluster name, used in ownership tags and bootstrap
 * @param clusterEndpoint API server URL nodes join (bootstrap)
 * @param clusterCABundle base64 cluster CA (bootstrap)
 * @param clusterCidr service CIDR for AL2023 nodeadm (optional)
 * @param kubernetesVersion minor version for SSM AMI paths, e.g. {@code 1.33}; empty: discovered
 * @param interruptionQueue SQS queue name or URL; empty disables interruption handling
 * @param endpoint one endpoint override for every AWS client (tests: WireMock)
 * @param accessKeyId static credentials (with {@code secretAccessKey}); else the default chain
 * @param secretAccessKey static credentials
 * @param isolatedVpc no Pricing API (and no public SSM): use the built-in price catalog
 * @param maxAttempts attempts per AWS call (first try included)
 * @param retryBaseDelay base of the jittered exponential backoff
 * @param retryMaxDelay cap of the backoff
 * @param apiCallTimeout bound on one AWS call including its retries
 * @param apiRateLimit requests per second allowed per AWS API (per operation)
 * @param apiBurst burst per AWS API
 * @param vmMemoryOverheadPercent share of memory the hypervisor keeps (upstream 0.075)
 * @param reservedEnis ENIs kept back from pod networking
 * @param pricingRefresh how often prices are refreshed
 */
public record AwsSettings(
    String region,
    String clusterName,
    String clusterEndpoint,
    String clusterCABundle,
    String clusterCidr,
    String kubernetesVersion,
    String interruptionQueue,
    URI endpoint,
    String accessKeyId,
    String secretAccessKey,
    boolean isolatedVpc,
    int maxAttempts,
    Duration retryBaseDelay,
    Duration retryMaxDelay,
    Duration apiCallTimeout,
    double apiRateLimit,
    int apiBurst,
    double vmMemoryOverheadPercent,
    int reservedEnis,
    Duration pricingRefresh) {

  public static AwsSettings from(ProviderContext context) {
    return from(context.clusterName(), context.settings());
  }

  public static AwsSettings from(String clusterName, Map<String, String> raw) {
    // Keys match exactly or ignoring case, '-' and '_' (clusterCABundle = CLUSTER_CA_BUNDLE =
    // cluster-ca-bundle), like ProviderContext.setting, so env-derived names work too.
    Map<String, String> s = new java.util.HashMap<>();
    new java.util.TreeMap<>(raw).forEach((k, v) -> s.put(normalize(k), v));
    return fromNormalized(clusterName, new Lookup(s));
  }

  private static String normalize(String key) {
    return key.replace("_", "").replace("-", "").toLowerCase(java.util.Locale.ROOT);
  }

  /** Settings by normalized name. */
  private record Lookup(Map<String, String> byName) {
    String get(String key) {
      return byName.get(normalize(key));
    }

    String getOrDefault(String key, String fallback) {
      String v = get(key);
      return v == null ? fallback : v;
    }
  }

  private static AwsSettings fromNormalized(String clusterName, Lookup s) {
    String region = s.get("region");
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("aws: provider setting 'region' is required");
    }
    return new AwsSettings(
        region,
        clusterName == null || clusterName.isBlank()
            ? s.getOrDefault("clusterName", "dovetail")
            : clusterName,
        s.getOrDefault("clusterEndpoint", ""),
        s.getOrDefault("clusterCABundle", ""),
        s.getOrDefault("clusterCIDR", ""),
        // Empty: discovered with eks:DescribeCluster (ClusterDiscovery).
        s.getOrDefault("kubernetesVersion", ""),
        s.getOrDefault("interruptionQueue", ""),
        Optional.ofNullable(s.get("endpoint"))
            .filter(e -> !e.isBlank())
            .map(URI::create)
            .orElse(null),
        s.get("accessKeyId"),
        s.get("secretAccessKey"),
        Boolean.parseBoolean(s.getOrDefault("isolatedVPC", "false")),
        Integer.parseInt(s.getOrDefault("maxAttempts", "8")),
        Duration.ofMillis(Long.parseLong(s.getOrDefault("retryBaseDelayMs", "100"))),
        Duration.ofMillis(Long.parseLong(s.getOrDefault("retryMaxDelayMs", "20000"))),
        Duration.ofMillis(Long.parseLong(s.getOrDefault("apiCallTimeoutMs", "60000"))),
        Double.parseDouble(s.getOrDefault("apiRateLimit", "20")),
        Integer.parseInt(s.getOrDefault("apiBurst", "40")),
        Double.parseDouble(s.getOrDefault("vmMemoryOverheadPercent", "0.075")),
        Integer.parseInt(s.getOrDefault("reservedENIs", "0")),
        Duration.ofMinutes(Long.parseLong(s.getOrDefault("pricingRefreshMinutes", "720"))));
  }

  /** Every field, with the secret access key (and the key id's tail) redacted. */
  @Override
  public String toString() {
    return "AwsSettings[region="
        + region
        + ", clusterName="
        + clusterName
        + ", clusterEndpoint="
        + clusterEndpoint
        + ", clusterCABundle="
        + (clusterCABundle == null || clusterCABundle.isBlank()
            ? ""
            : "<" + clusterCABundle.length() + " chars>")
        + ", clusterCidr="
        + clusterCidr
        + ", kubernetesVersion="
        + kubernetesVersion
        + ", interruptionQueue="
        + interruptionQueue
        + ", endpoint="
        + endpoint
        + ", accessKeyId="
        + redactKeyId(accessKeyId)
        + ", secretAccessKey="
        + (secretAccessKey == null ? "null" : "<redacted>")
        + ", isolatedVpc="
        + isolatedVpc
        + ", maxAttempts="
        + maxAttempts
        + ", retryBaseDelay="
        + retryBaseDelay
        + ", retryMaxDelay="
        + retryMaxDelay
        + ", apiCallTimeout="
        + apiCallTimeout
        + ", apiRateLimit="
        + apiRateLimit
        + ", apiBurst="
        + apiBurst
        + ", vmMemoryOverheadPercent="
        + vmMemoryOverheadPercent
        + ", reservedEnis="
        + reservedEnis
        + ", pricingRefresh="
        + pricingRefresh
        + "]";
  }

  /** The key id's first four characters (its kind: AKIA, ASIA), never the rest. */
  private static String redactKeyId(String id) {
    if (id == null) {
      return "null";
    }
    return (id.length() > 4 ? id.substring(0, 4) : "") + "<redacted>";
  }

  /** The Pricing API region for this region (the API lives in a few regions only). */
  public String pricingRegion() {
    if (region.startsWith("ap-")) {
      return "ap-south-1";
    }
    if (region.startsWith("eu-")) {
      return "eu-central-1";
    }
    if (region.startsWith("cn-")) {
      return "cn-northwest-1";
    }
    return "us-east-1";
  }
}
