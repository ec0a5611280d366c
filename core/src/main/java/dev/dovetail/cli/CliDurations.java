package dev.dovetail.cli;

import dev.dovetail.kube.Durations;
import java.time.Duration;

/** Parses duration options, naming the option in the error. */
final class CliDurations {
  private CliDurations() {}

  static Duration parse(String option, String value) {
    try {
      return Durations.parse(value)
          .orElseThrow(() -> new IllegalArgumentException("Never is not allowed"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option + ": '" + value + "' is not a duration such as 500ms, 10s, 1m30s");
    }
  }
}
