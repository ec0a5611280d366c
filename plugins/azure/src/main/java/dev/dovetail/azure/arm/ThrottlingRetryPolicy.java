package dev.dovetail.azure.arm;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Retries throttled (429), timed-out (408) and server-failed (5xx) ARM calls and I/O errors, at
 * most {@code maxRetries} times. A {@code Retry-After} (or {@code x-ms-retry-after-ms}) header is
 * honoured, capped at {@code maxDelay}, since ARM throttling says exactly when the quota refills;
 * otherwise the delay doubles from {@code baseDelay}. Replaces azure-core's own RetryPolicy so the
 * bound and the waiting are ours (and testable without timing).
 */
public final class ThrottlingRetryPolicy implements HttpPipelinePolicy {
  private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.fromString("retry-after-ms");
  private static final HttpHeaderName X_MS_RETRY_AFTER_MS =
      HttpHeaderName.fromString("x-ms-retry-after-ms");

  private final int maxRetries;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Sleeper sleeper;

  public ThrottlingRetryPolicy(
      int maxRetries, Duration baseDelay, Duration maxDelay, Sleeper sleeper) {
    this.maxRetries = maxRetries;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    this.sleeper = sleeper;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    return attempt(next, 0);
  }

  private Mono<HttpResponse> attempt(HttpPipelineNextPolicy next, int retry) {
    return next.clone()
        .process()
        .map(Outcome::of)
        .onErrorResume(e -> Mono.just(Outcome.failed(e)))
        .flatMap(
            outcome -> {
              if (retry >= maxRetries || !outcome.retryable()) {
                return outcome.asMono();
              }
              Duration delay = delay(outcome.headers(), retry);
              outcome.close();
              return Mono.fromRunnable(() -> sleeper.sleep(delay))
                  .subscribeOn(Schedulers.boundedElastic())
                  .then(Mono.defer(() -> attempt(next, retry + 1)));
            });
  }

  @Override
  public HttpResponse processSync(
      HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    for (int retry = 0; ; retry++) {
      Outcome outcome;
      try {
        outcome = Outcome.of(next.clone().processSync());
      } catch (RuntimeException e) {
        outcome = Outcome.failed(e);
      }
      if (retry >= maxRetries || !outcome.retryable()) {
        return outcome.get();
      }
      Duration delay = delay(outcome.headers(), retry);
      outcome.close();
      sleeper.sleep(delay);
    }
  }

  /** Whether a status code is worth retrying. */
  static boolean retryableStatus(int code) {
    return code == 429 || code == 408 || (code >= 500 && code != 501 && code != 505);
  }

  Duration delay(HttpHeaders headers, int retry) {
    Duration told = headers == null ? null : retryAfter(headers);
    if (told != null) {
      return told.compareTo(maxDelay) > 0 ? maxDelay : told;
    }
    long ms = baseDelay.toMillis() << Math.min(retry, 20);
    return Duration.ofMillis(Math.min(ms, maxDelay.toMillis()));
  }

  /** The server's requested wait, from the headers ARM and azure-core know, or null. */
  static Duration retryAfter(HttpHeaders headers) {
    for (HttpHeaderName name : new HttpHeaderName[] {X_MS_RETRY_AFTER_MS, RETRY_AFTER_MS}) {
      String ms = headers.getValue(name);
      if (ms != null) {
        try {
          return Duration.ofMillis(Math.max(0, Long.parseLong(ms.trim())));
        } catch (NumberFormatException ignored) {
          // fall through to the next header
        }
      }
    }
    String value = headers.getValue(HttpHeaderName.RETRY_AFTER);
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException unparsable) {
        return null;
      }
    }
  }

  /** One try's result: a response or an error. */
  private record Outcome(HttpResponse response, Throwable error) {
    static Outcome of(HttpResponse r) {
      return new Outcome(r, null);
    }

    static Outcome failed(Throwable e) {
      return new Outcome(null, e);
    }

    boolean retryable() {
      if (response != null) {
        return retryableStatus(response.getStatusCode());
      }
      Throwable t = error;
      while (t != null) {
        if (t instanceof IOException
            || t instanceof TimeoutException
            || t instanceof UncheckedIOException) {
          return true;
        }
        t = t.getCause();
      }
      return false;
    }

    HttpHeaders headers() {
      return response == null ? null : response.getHeaders();
    }

    void close() {
      if (response != null) {
        response.close();
      }
    }

    Mono<HttpResponse> asMono() {
      return response != null ? Mono.just(response) : Mono.error(error);
    }

    HttpResponse get() {
      if (response != null) {
        return response;
      }
      if (error instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(error);
    }
  }
}
