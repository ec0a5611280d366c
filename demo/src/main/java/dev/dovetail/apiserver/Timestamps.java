package dev.dovetail.apiserver;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps at second precision, as the API server writes metadata times. */
final class Timestamps {
  private Timestamps() {}

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
