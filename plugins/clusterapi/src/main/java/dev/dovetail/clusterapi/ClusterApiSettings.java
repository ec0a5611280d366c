package dev.dovetail.clusterapi;

import dev.dovetail.cloudprovider.ProviderContext;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bridge's provider settings ({@code --provider-setting key=value} or {@code
 * DOVETAIL_PROVIDER_<KEY>}). An invalid value fails start with a message naming the setting.
 *
 * @param managementKubeconfig path of a kubeconfig for the management cluster (the chart mounts it
 *     from a Secret); empty: in-cluster or the default kubeconfig, i.e. the same cluster as the
 *     core
 * @param namespace the namespace of the CAPI objects (the chart's {@code
 *     settings.clusterapi.namespace}); a NodeClass's own {@code namespace} overrides it; empty: all
 * @param capiVersion {@code v1beta1} or {@code v1beta2}; empty: discovered
 * @param pricePerVcpu default hourly price of one vCPU, for resources without a price annotation
 * @param pricePerGib default hourly price of one GiB of memory
 * @param defaultZone the zone of a resource with no failureDomain and no zone label
 * @param defaultArch {@code kubernetes.io/arch} of a resource whose labels do not say
 * @param machineWait how long one create/delete call waits for CAPI before returning to the core
 * @param registrationTtl a claimed Machine without a providerID for this long is released
 * @param sweepInterval how often the janitor runs (0 disables it)
 * @param cacheTtl how long resolved instance types are reused (0: resolved on every call)
 */
public record ClusterApiSettings(
    Optional<String> managementKubeconfig,
    Optional<String> namespace,
    Optional<String> capiVersion,
    double pricePerVcpu,
    double pricePerGib,
    String defaultZone,
    String defaultArch,
    Duration machineWait,
    Duration registrationTtl,
    Duration sweepInterval,
    Duration cacheTtl) {

  public static final double DEFAULT_PRICE_PER_VCPU = 0.0316;
  public static final double DEFAULT_PRICE_PER_GIB = 0.0042;

  public static ClusterApiSettings defaults() {
    return new ClusterApiSettings(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_PRICE_PER_VCPU,
        DEFAULT_PRICE_PER_GIB,
        "default",
        "amd64",
        Duration.ofSeconds(5),
        Duration.ofMinutes(15),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5));
  }

  public static ClusterApiSettings from(ProviderContext ctx) {
    ClusterApiSettings d = defaults();
    Optional<String> version = ctx.setting("capiVersion").filter(s -> !s.isBlank());
    version.ifPresent(
        v -> {
          if (!v.equals("v1beta1") && !v.equals("v1beta2")) {
            throw new IllegalArgumentException(
                "provider setting capiVersion: must be v1beta1 or v1beta2, got '" + v + "'");
          }
        });
    return new ClusterApiSettings(
        ctx.setting("managementKubeconfig").filter(s -> !s.isBlank()),
        ctx.setting("namespace").filter(s -> !s.isBlank()),
        version,
        price(ctx, "pricePerVcpu", d.pricePerVcpu()),
        price(ctx, "pricePerGib", d.pricePerGib()),
        ctx.setting("defaultZone").filter(s -> !s.isBlank()).orElse(d.defaultZone()),
        ctx.setting("defaultArch").filter(s -> !s.isBlank()).orElse(d.defaultArch()),
        duration(ctx, "machineWait", d.machineWait()),
        duration(ctx, "registrationTtl", d.registrationTtl()),
        duration(ctx, "sweepInterval", d.sweepInterval()),
        duration(ctx, "cacheTtl", d.cacheTtl()));
  }

  /** What the instance type resolver assumes where a resource says nothing. */
  public dev.dovetail.clusterapi.instancetype.InstanceTypeDefaults instanceTypeDefaults() {
    return new dev.dovetail.clusterapi.instancetype.InstanceTypeDefaults(
        pricePerVcpu, pricePerGib, defaultZone, defaultArch);
  }

  private static double price(ProviderContext ctx, String key, double dflt) {
    Optional<String> v = ctx.setting(key);
    if (v.isEmpty() || v.get().isBlank()) {
      return dflt;
    }
    try {
      double p = Double.parseDouble(v.get().trim());
      if (!(p > 0) || Double.isInfinite(p)) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "provider setting "
              + key
              + ": a positive price per hour expected, got '"
              + v.get()
              + "'");
    }
  }

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

  private static Duration duration(ProviderContext ctx, String key, Duration dflt) {
    Optional<String> v = ctx.setting(key);
    if (v.isEmpty() || v.get().isBlank()) {
      return dflt;
    }
    try {
      return parseDuration(v.get());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "provider setting "
              + key
              + ": a duration such as 30s, 5m or PT1H expected, got '"
              + v.get()
              + "'");
    }
  }

  /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT5M}). */
  static Duration parseDuration(String text) {
    String t = text.trim();
    Matcher m = SIMPLE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      Duration d = Duration.parse(t);
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative duration " + t);
      }
      return d;
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("not a duration: " + t, e);
    }
  }
}
