package dev.dovetail.state;

import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An informer's exception handler that also retries a failed first list when the failure is
 * transient (409, 429, 5xx, a timeout or a dropped connection). fabric8's default gives up on any
 * error before the informer has synced, so one conflict answered to the first LIST of pods made a
 * restarted operator fail to start (chaos seeds 33 and 49) where kube-apiserver clients retry. A
 * lasting error (401, 403, 404: wrong credentials, a CRD not installed) still fails the start at
 * once with its message, and so does a transient one after {@code maxAttempts} tries.
 */
final class InitialListRetry implements ExceptionHandler {
  private final int maxAttempts;
  private final AtomicInteger attempts = new AtomicInteger();

  InitialListRetry(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  @Override
  public boolean retryAfterException(boolean isStarted, Throwable t) {
    if (isStarted) {
      // fabric8's default once the informer runs.
      return !(t instanceof WatcherException);
    }
    return transientFailure(t) && attempts.incrementAndGet() <= maxAttempts;
  }

  static boolean transientFailure(Throwable t) {
    return dev.dovetail.kube.ApiFailures.isTransient(t);
  }
}
