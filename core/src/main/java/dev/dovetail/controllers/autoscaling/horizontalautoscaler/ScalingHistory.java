package dev.dovetail.controllers.autoscaling.horizontalautoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the stabilization windows and the rate policies look back at, as the HPA controller keeps it
 * in memory: past recommendations and past changes of the target's replicas.
 */
public record ScalingHistory(List<Recommendation> recommendations, List<ScaleEvent> events) {
  public static final ScalingHistory EMPTY = new ScalingHistory(List.of(), List.of());

  /** A raw recommendation (before stabilization) and when it was made. */
  public record Recommendation(Instant at, int replicas) {}

  /** A change of the target's replicas: positive up, negative down. */
  public record ScaleEvent(Instant at, int delta) {}

  public ScalingHistory {
    recommendations = List.copyOf(recommendations);
    events = List.copyOf(events);
  }

  ScalingHistory with(Recommendation r, ScaleEvent e, Duration keep) {
    Instant cutoff = r.at().minus(keep);
    List<Recommendation> recs = new ArrayList<>();
    for (Recommendation old : recommendations) {
      if (old.at().isAfter(cutoff)) {
        recs.add(old);
      }
    }
    recs.add(r);
    List<ScaleEvent> evs = new ArrayList<>();
    for (ScaleEvent old : events) {
      if (old.at().isAfter(cutoff)) {
        evs.add(old);
      }
    }
    if (e != null && e.delta() != 0) {
      evs.add(e);
    }
    return new ScalingHistory(recs, evs);
  }

  /** Replicas added (up) or removed (down, as a positive number) after {@code since}. */
  int changedSince(Instant since, boolean up) {
    int sum = 0;
    for (ScaleEvent e : events) {
      if (e.at().isAfter(since) && (up ? e.delta() > 0 : e.delta() < 0)) {
        sum += Math.abs(e.delta());
      }
    }
    return sum;
  }
}
