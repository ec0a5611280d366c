package dev.dovetail.gcp;

import dev.dovetail.cloudprovider.ProviderContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The provider settings of the GCP plugin (the chart's {@code settings.gcp} block, passed as {@code
 * --provider-setting key=value}); see the plugin README. Parsed once at start so a missing or
 * malformed setting fails there, naming the setting.
 *
 * @param project GCP project id (required)
 * @param region region, e.g. {@code us-central1} (required; or derived from the chart's {@code
 *     location}); zones are discovered from it
 * @param clusterName cluster name, used in ownership labels and bootstrap metadata
 * @param clusterLocation the GKE cluster's location (region or zone); defaults to the region
 * @param network VPC network for the primary interface (URL or name; optional)
 * @param subnetwork subnetwork for the primary interface (URL or name; optional)
 * @param serviceAccount default node service account when the GCENodeClass sets none
 * @param zones explicit zones; empty discovers them from the region
 * @param endpoint Compute API endpoint override (tests: WireMock); empty uses Google's and ADC
 * @param maxAttempts attempts per call on 429/503 (first try included)
 * @param retryBaseDelay first backoff delay
 * @param retryMaxDelay backoff cap
 * @param requestTimeout bound on one HTTP request
 * @param operationTimeout bound on waiting for one zone operation
 * @param interruptionPollInterval how often preemption operations are polled (0 disables)
 */
public record GcpSettings(
    String project,
    String region,
    String clusterName,
    String clusterLocation,
    String network,
    String subnetwork,
    String serviceAccount,
    List<String> zones,
    String endpoint,
    int maxAttempts,
    Duration retryBaseDelay,
    Duration retryMaxDelay,
    Duration requestTimeout,
    Duration operationTimeout,
    Duration interruptionPollInterval) {

  public GcpSettings {
    zones = List.copyOf(zones);
  }

  /** Reads and checks the settings; a missing required one throws naming it. */
  public static GcpSettings from(ProviderContext ctx) {
    String project = required(ctx, "project");
    // The chart's settings.gcp block names the cluster's `location` (a region or a zone).
    Optional<String> location = ctx.setting("location").filter(v -> !v.isBlank());
    String region =
        ctx.setting("region")
            .filter(v -> !v.isBlank())
            .or(() -> location.map(GcpSettings::regionOf))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "gcp provider setting 'region' (or the chart's 'location') is required"
                            + " (--provider-setting region=..., chart settings.gcp.location)"));
    String clusterName = ctx.setting("clusterName").orElse(ctx.clusterName());
    if (clusterName == null || clusterName.isBlank()) {
      throw new IllegalArgumentException("gcp provider setting 'clusterName' is required");
    }
    List<String> zones =
        ctx.setting("zones").map(GcpSettings::csv).orElse(List.of()).stream()
            .peek(
                z -> {
                  if (!z.startsWith(region + "-")) {
                    throw new IllegalArgumentException(
                        "gcp provider setting 'zones': " + z + " is not in region " + region);
                  }
                })
            .toList();
    return new GcpSettings(
        project,
        region,
        clusterName,
        ctx.setting("clusterLocation").or(() -> location).orElse(region),
        ctx.setting("network").orElse(""),
        ctx.setting("subnetwork").orElse(""),
        ctx.setting("serviceAccount").orElse(""),
        zones,
        ctx.setting("endpoint").orElse(""),
        positiveInt(ctx, "maxAttempts", 5),
        duration(ctx, "retryBaseDelay", Duration.ofMillis(500)),
        duration(ctx, "retryMaxDelay", Duration.ofSeconds(20)),
        duration(ctx, "requestTimeout", Duration.ofSeconds(30)),
        duration(ctx, "operationTimeout", Duration.ofMinutes(3)),
        duration(ctx, "interruptionPollInterval", Duration.ofSeconds(10)));
  }

  private static String required(ProviderContext ctx, String key) {
    return ctx.setting(key)
        .filter(v -> !v.isBlank())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "gcp provider setting '"
                        + key
                        + "' is required (--provider-setting "
                        + key
                        + "=..., chart settings.gcp."
                        + key
                        + ")"));
  }

  /** {@code us-central1-a} → {@code us-central1}; a region stays as it is. */
  static String regionOf(String location) {
    return location.matches("^[a-z]+-[a-z]+[0-9]+-[a-z]$")
        ? location.substring(0, location.lastIndexOf('-'))
        : location;
  }

  private static int positiveInt(ProviderContext ctx, String key, int fallback) {
    Optional<String> v = ctx.setting(key);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.get().trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "gcp provider setting '" + key + "' must be a positive integer, got '" + v.get() + "'");
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 2m}, or ISO-8601 {@code PT30S}. */
  static Duration duration(ProviderContext ctx, String key, Duration fallback) {
    Optional<String> v = ctx.setting(key);
    if (v.isEmpty()) {
      return fallback;
    }
    String s = v.get().trim();
    try {
      if (s.startsWith("P") || s.startsWith("p")) {
        return Duration.parse(s);
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      return switch (s.charAt(s.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "gcp provider setting '"
              + key
              + "' must be a duration like 500ms, 30s or 2m, got '"
              + s
              + "'");
    }
  }

  private static List<String> csv(String s) {
    return java.util.Arrays.stream(s.split(","))
        .map(String::trim)
        .filter(x -> !x.isEmpty())
        .toList();
  }

  /** The subnetwork as a resource path GCE accepts, or empty. */
  public String subnetworkPath() {
    if (subnetwork.isBlank() || subnetwork.contains("/")) {
      return subnetwork;
    }
    return "projects/" + project + "/regions/" + region + "/subnetworks/" + subnetwork;
  }

  /** The network as a resource path GCE accepts, or empty. */
  public String networkPath() {
    if (network.isBlank() || network.contains("/")) {
      return network;
    }
    return "projects/" + project + "/global/networks/" + network;
  }
}
