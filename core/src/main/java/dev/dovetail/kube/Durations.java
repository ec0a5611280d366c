package dev.dovetail.kube;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Go-style durations as Karpenter's API writes them ({@code 720h}, {@code 1h30m}, {@code
 * Never}).
 */
public final class Durations {
  private Durations() {}

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  /** The duration, or empty for {@code Never} or null. */
  public static Optional<Duration> parse(String text) {
    if (text == null || text.isBlank() || "Never".equals(text)) {
      return Optional.empty();
    }
    Matcher m = PART.matcher(text);
    int pos = 0;
    double nanos = 0;
    while (m.find()) {
      if (m.start() != pos) {
        throw new IllegalArgumentException("invalid duration '" + text + "'");
      }
      double v = Double.parseDouble(m.group(1));
      nanos +=
          switch (m.group(2)) {
            case "ns" -> v;
            case "us", "µs" -> v * 1e3;
            case "ms" -> v * 1e6;
            case "s" -> v * 1e9;
            case "m" -> v * 60e9;
            default -> v * 3600e9;
          };
      pos = m.end();
    }
    if (pos != text.length() || pos == 0) {
      throw new IllegalArgumentException("invalid duration '" + text + "'");
    }
    return Optional.of(Duration.ofNanos((long) nanos));
  }

  /** Formats as Go would for whole seconds ({@code 1h30m0s} → {@code 1h30m}). */
  public static String format(Duration d) {
    long s = d.getSeconds();
    StringBuilder sb = new StringBuilder();
    if (s >= 3600) {
      sb.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      sb.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0 || sb.length() == 0) {
      sb.append(s).append('s');
    }
    return sb.toString();
  }
}
