package dev.dovetail.kube;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events published within the dedupe window, oldest first, at most {@code capacity} of them.
 * Kept in the order they were published, so what fell out of the window is always at the head and
 * is dropped there, a few entries per call. The map this replaces was swept whole whenever it held
 * more than 50,000 keys: at 20,000–50,000 pods more than 50,000 events fall inside five minutes (a
 * Nominated per pod and pass, a few per NodeClaim), and every further event then scanned all of
 * them. Past {@code capacity} the oldest is forgotten although still in the window: it may be
 * published once more, which events (best effort) allow.
 */
final class RecentEvents {
  private final Duration window;
  private final int capacity;
  private final LinkedHashMap<String, Instant> published = new LinkedHashMap<>();

  RecentEvents(Duration window, int capacity) {
    this.window = window;
    this.capacity = capacity;
  }

  /** Whether {@code key} was not published within the window; if so, notes it as published now. */
  synchronized boolean fresh(String key, Instant now) {
    Iterator<Map.Entry<String, Instant>> oldest = published.entrySet().iterator();
    while (oldest.hasNext() && !oldest.next().getValue().plus(window).isAfter(now)) {
      oldest.remove();
    }
    if (published.containsKey(key)) {
      return false;
    }
    published.put(key, now);
    if (published.size() > capacity) {
      Iterator<String> eldest = published.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
    return true;
  }

  /** How many events are remembered (tests). */
  synchronized int size() {
    return published.size();
  }
}
