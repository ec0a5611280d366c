package dev.dovetail.demo;

import dev.dovetail.kube.Durations;
import java.time.Duration;

/**
 * A command-line duration ({@code 500ms}, {@code 10s}, {@code 1m30s}) as the demo, chaos and bench
 * commands take it: a bad value is reported with the option's name, and {@code Never} is refused
 * (each of these options bounds a wait).
 */
public final class DurationOption {
  private DurationOption() {}

  /** The duration {@code value} of {@code option}; an IllegalArgumentException naming both. */
  public static Duration parse(String option, String value) {
    try {
      return Durations.parse(value).orElseThrow(IllegalArgumentException::new);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option + ": '" + value + "' is not a duration such as 500ms, 10s, 1m30s", e);
    }
  }
}
