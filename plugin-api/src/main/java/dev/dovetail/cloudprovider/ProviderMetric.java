package dev.dovetail.cloudprovider;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One value a provider reports through {@link CloudProvider#metrics()}, which the core publishes on
 * its Prometheus endpoint under {@code name} exactly (e.g. {@code
 * karpenter_interruption_deleted_messages_total}).
 *
 * <ul>
 *   <li>{@link Type#COUNTER}: {@code value} is the running total since the provider started (never
 *       an increment); the name ends in {@code _total}.
 *   <li>{@link Type#GAUGE}: {@code value} is the current value.
 *   <li>{@link Type#SUMMARY}: a duration summary without quantiles: {@code value} is the sum of the
 *       observations in seconds and {@code count} their number, both running totals; the name ends
 *       in {@code _seconds}.
 * </ul>
 *
 * The same name must always come with the same label keys. A name the core already publishes itself
 * is ignored (with a log line), as is an invalid one.
 *
 * @param name the Prometheus metric name
 * @param type how to read {@code value}
 * @param help one line describing the metric
 * @param labels label names to values (may be empty)
 * @param value see {@link Type}
 * @param count observations, for {@link Type#SUMMARY} only (0 otherwise)
 */
public record ProviderMetric(
    String name, Type type, String help, Map<String, String> labels, double value, long count) {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  /** How a value is read. */
  public enum Type {
    COUNTER,
    GAUGE,
    SUMMARY
  }

  public ProviderMetric {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    help = help == null ? "" : help;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("metric name " + name + " is not a Prometheus name");
    }
    if (type == Type.COUNTER && !name.endsWith("_total")) {
      throw new IllegalArgumentException("counter " + name + " must end in _total");
    }
    if (type == Type.SUMMARY && !name.endsWith("_seconds")) {
      throw new IllegalArgumentException("summary " + name + " must end in _seconds");
    }
  }

  public static ProviderMetric counter(
      String name, String help, Map<String, String> labels, double total) {
    return new ProviderMetric(name, Type.COUNTER, help, labels, total, 0);
  }

  public static ProviderMetric gauge(
      String name, String help, Map<String, String> labels, double value) {
    return new ProviderMetric(name, Type.GAUGE, help, labels, value, 0);
  }

  public static ProviderMetric summary(
      String name, String help, Map<String, String> labels, double sumSeconds, long count) {
    return new ProviderMetric(name, Type.SUMMARY, help, labels, sumSeconds, count);
  }
}
