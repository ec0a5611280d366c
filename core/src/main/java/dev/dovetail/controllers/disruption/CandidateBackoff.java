package dev.dovetail.controllers.disruption;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-candidate exponential backoff after a failed command (its replacement never initialized): the
 * first failure rests the candidate {@link #INITIAL}, each further one twice as long, up to {@link
 * #MAX}, as upstream's per-item rate limiting does, instead of one fixed cool-down for all. A
 * candidate that is disrupted successfully or goes away is forgotten.
 */
final class CandidateBackoff {
  static final Duration INITIAL = Duration.ofMinutes(1);
  static final Duration MAX = Duration.ofMinutes(30);

  private record Entry(int failures, Instant until) {}

  private final Map<String, Entry> entries = new HashMap<>();

  /** Records a failure; returns when the candidate may be tried again. */
  Instant failed(String nodeClaim, Instant now) {
    Entry prev = entries.get(nodeClaim);
    int failures = prev == null ? 1 : prev.failures() + 1;
    Duration wait = INITIAL.multipliedBy(1L << Math.min(failures - 1, 20));
    if (wait.compareTo(MAX) > 0) {
      wait = MAX;
    }
    Instant until = now.plus(wait);
    entries.put(nodeClaim, new Entry(failures, until));
    return until;
  }

  /** The candidates still resting, with until when. */
  Map<String, Instant> resting(Instant now) {
    Map<String, Instant> out = new HashMap<>();
    entries.forEach(
        (claim, e) -> {
          if (now.isBefore(e.until())) {
            out.put(claim, e.until());
          }
        });
    return out;
  }

  /** Forgets candidates that no longer exist or were disrupted. */
  void forget(String nodeClaim) {
    entries.remove(nodeClaim);
  }

  java.util.Set<String> claims() {
    return entries.keySet();
  }

  int failures(String nodeClaim) {
    Entry e = entries.get(nodeClaim);
    return e == null ? 0 : e.failures();
  }
}
