package dev.dovetail.apiserver;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults on demand for chaos tests, all drawn from one seeded random source so a run repeats: error
 * rates per verb and resource (409 Conflict, 429 TooManyRequests with Retry-After, 500), added
 * latency, and watches dropped after a while (the client then re-watches from its last
 * resourceVersion, or relists on 410). Empty by default; safe to change while the server runs.
 */
public final class Faults {
  /** An error returned to a share of matching requests. */
  public record ErrorRule(String verb, String resource, double rate, int code) {
    boolean applies(String v, String r) {
      return ("*".equals(verb) || verb.equalsIgnoreCase(v))
          && ("*".equals(resource) || resource.equals(r));
    }
  }

  private final List<ErrorRule> errors = new CopyOnWriteArrayList<>();
  private volatile Random random = new Random(0);
  private volatile Duration latency = Duration.ZERO;
  private volatile double latencyRate;
  private volatile double watchDropRate;
  private volatile Duration watchDropAfter = Duration.ofSeconds(5);
  private final AtomicLong injected = new AtomicLong();

  Faults() {}

  /** Reseeds the random source (a run with the same seed and requests draws the same faults). */
  public Faults seed(long seed) {
    random = new Random(seed);
    return this;
  }

  /**
   * Answers {@code rate} (0..1) of the requests with this verb ({@code get}, {@code list}, {@code
   * watch}, {@code create}, {@code update}, {@code patch}, {@code delete}, or {@code *}) on this
   * resource (plural, e.g. {@code nodeclaims}, or {@code *}) with {@code code} (409, 429 or 500).
   */
  public Faults error(String verb, String resource, double rate, int code) {
    if (code != 409 && code != 429 && code != 500) {
      throw new IllegalArgumentException("fault code must be 409, 429 or 500, got " + code);
    }
    errors.add(new ErrorRule(verb, resource, rate, code));
    return this;
  }

  /** Delays {@code rate} of all requests by {@code delay}. */
  public Faults latency(Duration delay, double rate) {
    latency = delay;
    latencyRate = rate;
    return this;
  }

  /** Closes {@code rate} of new watches after {@code after}. */
  public Faults dropWatches(double rate, Duration after) {
    watchDropRate = rate;
    watchDropAfter = after;
    return this;
  }

  /** Removes every fault. */
  public Faults clear() {
    errors.clear();
    latency = Duration.ZERO;
    latencyRate = 0;
    watchDropRate = 0;
    return this;
  }

  /** How many faults (errors, delays, dropped watches) were injected since the server started. */
  public long injected() {
    return injected.get();
  }

  Optional<Integer> errorFor(String verb, String resource) {
    for (ErrorRule r : errors) {
      if (r.applies(verb, resource) && draw() < r.rate()) {
        injected.incrementAndGet();
        return Optional.of(r.code());
      }
    }
    return Optional.empty();
  }

  Duration delay() {
    if (latencyRate > 0 && draw() < latencyRate) {
      injected.incrementAndGet();
      return latency;
    }
    return Duration.ZERO;
  }

  Optional<Duration> watchDrop() {
    if (watchDropRate > 0 && draw() < watchDropRate) {
      injected.incrementAndGet();
      return Optional.of(watchDropAfter);
    }
    return Optional.empty();
  }

  private double draw() {
    Random r = random;
    synchronized (r) {
      return r.nextDouble();
    }
  }
}
