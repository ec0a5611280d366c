package dev.dovetail.aws;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * A client-side token bucket per AWS API (service + operation), consulted before every HTTP
 * attempt, retries included. EC2 throttles per API per account; spreading our own calls keeps one
 * burst of launches from tripping RequestLimitExceeded, and makes retries queue up behind the
 * bucket instead of hitting EC2 again in lockstep (aws/karpenter-provider-aws#9175).
 */
public final class ApiRateLimiter implements ExecutionInterceptor {

  /** Waits; tests pass one that advances a fake clock instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final double ratePerSecond;
  private final int burst;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public ApiRateLimiter(double ratePerSecond, int burst, Clock clock, Sleeper sleeper) {
    if (ratePerSecond <= 0 || burst <= 0) {
      throw new IllegalArgumentException("rate and burst must be positive");
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  public static ApiRateLimiter systemDefault(double ratePerSecond, int burst) {
    return new ApiRateLimiter(
        ratePerSecond,
        burst,
        Clock.systemUTC(),
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
    String service = executionAttributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = executionAttributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    acquire(service + ":" + operation);
  }

  /** Takes one token for the API, waiting until one is free. */
  public void acquire(String api) {
    long waitNanos = buckets.computeIfAbsent(api, k -> new Bucket()).reserve();
    if (waitNanos > 0) {
      try {
        sleeper.sleepNanos(waitNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while rate limited on " + api, e);
      }
    }
  }

  /** The APIs seen so far ({@code service:operation}). */
  public java.util.Set<String> apis() {
    return java.util.Set.copyOf(buckets.keySet());
  }

  /** Tokens currently in the API's bucket (may be negative while callers wait). */
  public double tokens(String api) {
    Bucket b = buckets.get(api);
    return b == null ? burst : b.peek();
  }

  private final class Bucket {
    private double tokens = burst;
    private long lastNanos = nowNanos();

    /** Reserves a token; returns how long the caller must wait for it. */
    synchronized long reserve() {
      refill();
      tokens -= 1;
      if (tokens >= 0) {
        return 0;
      }
      return (long) Math.ceil(-tokens / ratePerSecond * 1e9);
    }

    synchronized double peek() {
      refill();
      return tokens;
    }

    private void refill() {
      long now = nowNanos();
      tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * ratePerSecond);
      lastNanos = now;
    }
  }

  private long nowNanos() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
