package dev.dovetail.plugins.simulated;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated cloud's settings ({@code --provider-setting key=value}); see the plugin README.
 *
 * @param catalog {@code aws}, {@code azure} or {@code gcp}
 * @param launchLatency time from create until the Node appears
 * @param startupTaintDelay time from Node registration until its startup taints are removed
 * @param interruptionNotice time from a spot interruption warning until the instance terminates
 * @param unavailableOfferingsTtl how long an offering that failed with insufficient capacity is
 *     reported unavailable by {@code instanceTypes} (AWS keeps such offerings 3 minutes)
 * @param iceOfferings offerings that always fail with insufficient capacity
 * @param maxPods pods per node for every type, or null for the per-catalog default
 * @param vmMemoryOverheadPercent share of memory the hypervisor keeps
 * @param spotInterruptionInterval when set, every interval the longest-running spot instance is
 *     interrupted (lets a demo show interruption handling without code); null = never
 */
public record SimulatedSettings(
    String catalog,
    Duration launchLatency,
    Duration startupTaintDelay,
    Duration interruptionNotice,
    Duration unavailableOfferingsTtl,
    List<OfferingPattern> iceOfferings,
    Integer maxPods,
    double vmMemoryOverheadPercent,
    Duration spotInterruptionInterval) {

  public static final SimulatedSettings DEFAULTS =
      new SimulatedSettings(
          "aws",
          Duration.ofSeconds(2),
          Duration.ofSeconds(1),
          Duration.ofMinutes(2),
          Duration.ofMinutes(3),
          List.of(),
          null,
          0.075,
          null);

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  public SimulatedSettings {
    iceOfferings = List.copyOf(iceOfferings);
    if (vmMemoryOverheadPercent < 0 || vmMemoryOverheadPercent >= 1) {
      throw new IllegalArgumentException("vmMemoryOverheadPercent must be in [0, 1)");
    }
    if (spotInterruptionInterval != null && spotInterruptionInterval.isZero()) {
      spotInterruptionInterval = null;
    }
    if (maxPods != null && maxPods <= 0) {
      throw new IllegalArgumentException("maxPods must be positive");
    }
  }

  public static SimulatedSettings from(Map<String, String> s) {
    SimulatedSettings d = DEFAULTS;
    return new SimulatedSettings(
        s.getOrDefault("catalog", d.catalog).trim().toLowerCase(Locale.ROOT),
        duration(s, "launchLatency", d.launchLatency),
        duration(s, "startupTaintDelay", d.startupTaintDelay),
        duration(s, "interruptionNotice", d.interruptionNotice),
        duration(s, "unavailableOfferingsTTL", d.unavailableOfferingsTtl),
        OfferingPattern.parseList(s.get("iceOfferings")),
        s.containsKey("maxPods") ? Integer.valueOf(s.get("maxPods").trim()) : d.maxPods,
        s.containsKey("vmMemoryOverheadPercent")
            ? Double.parseDouble(s.get("vmMemoryOverheadPercent").trim())
            : d.vmMemoryOverheadPercent,
        duration(s, "spotInterruptionInterval", d.spotInterruptionInterval));
  }

  private static Duration duration(Map<String, String> s, String key, Duration def) {
    String v = s.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      return parseDuration(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("setting " + key + ": " + e.getMessage(), e);
    }
  }

  /** {@code 0}, Go style ({@code 2s}, {@code 500ms}, {@code 1m30s}) or ISO-8601 ({@code PT2S}). */
  public static Duration parseDuration(String text) {
    String t = text.trim();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    if (t.startsWith("P") || t.startsWith("p")) {
      return Duration.parse(t);
    }
    Matcher m = DURATION_PART.matcher(t);
    long nanos = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double n = Double.parseDouble(m.group(1));
      long unit =
          switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      nanos += (long) (n * unit);
      end = m.end();
    }
    if (end == 0 || end != t.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 2s, 500ms, 1m)");
    }
    return Duration.ofNanos(nanos);
  }
}
