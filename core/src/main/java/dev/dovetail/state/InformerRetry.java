package dev.dovetail.state;

import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An informer's exception handler that also retries a failed first list when the failure is
 * transient (409, 429, 5xx, a timeout or a dropped connection). fabric8's default gives up on any
 * error before the informer has synced, so one conflict answered to the first LIST of pods made a
 * restarted operator fail to start (chaos seeds 33 and 49) where kube-apiserver clients retry. A
 * lasting error (401, 403, 404: wrong credentials, a CRD not installed) still fails the start at
 * once with its message, and so does a transient one after {@code maxAttempts} tries. Once the
 * informer runs, every failure is retried.
 */
final class InformerRetry implements ExceptionHandler {
  private final int maxAttempts;
  private final AtomicInteger attempts = new AtomicInteger();

  InformerRetry(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  @Override
  public boolean retryAfterException(boolean isStarted, Throwable t) {
    if (isStarted) {
      // Once running, every watch failure is retried (a new watch from the last resourceVersion,
      // with fabric8's backoff), as client-go's reflector does. fabric8's default stops the
      // informer on a WatcherException, which includes one event that did not parse: the cache
      // then froze for good while the operator ran on (a 50,000-pod bench run: "watch failed for
      // v1/nodes, will stop", the node count stuck at 7,741 while 6,000 NodeClaims waited).
      return true;
    }
    return transientFailure(t) && attempts.incrementAndGet() <= maxAttempts;
  }

  static boolean transientFailure(Throwable t) {
    return dev.dovetail.kube.ApiFailures.isTransient(t);
  }
}
