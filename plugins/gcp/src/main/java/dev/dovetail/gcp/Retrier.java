package dev.dovetail.gcp;

import com.google.api.gax.httpjson.HttpJsonStatusCode;
import com.google.api.gax.rpc.ApiException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries a Compute API call on throttling (429) and unavailability (503, 502, 500) with capped
 * exponential backoff; every other error, and the last throttled attempt, propagate.
 */
public final class Retrier {
  private final int maxAttempts;
  private final Duration base;
  private final Duration cap;

  public Retrier(int maxAttempts, Duration base, Duration cap) {
    this.maxAttempts = maxAttempts;
    this.base = base;
    this.cap = cap;
  }

  public static Retrier of(GcpSettings s) {
    return new Retrier(s.maxAttempts(), s.retryBaseDelay(), s.retryMaxDelay());
  }

  public <T> T call(String what, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (ApiException e) {
        if (attempt >= maxAttempts || !retryable(e)) {
          throw e;
        }
        sleep(delay(attempt));
      }
    }
  }

  public void run(String what, Runnable call) {
    call(
        what,
        () -> {
          call.run();
          return null;
        });
  }

  Duration delay(int attempt) {
    long ms = base.toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(ms, cap.toMillis()));
  }

  /** Whether the call failed for throttling or a transient server error. */
  public static boolean retryable(ApiException e) {
    int http = httpStatus(e);
    return http == 429 || http == 503 || http == 502 || http == 500 || e.isRetryable();
  }

  /** The HTTP status of a REST call's failure, or -1. */
  public static int httpStatus(ApiException e) {
    if (e.getStatusCode() instanceof HttpJsonStatusCode h) {
      return h.getTransportCode();
    }
    return -1;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", ie);
    }
  }
}
