package dev.dovetail.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** How an API-server failure is told apart: worth trying again, or lasting. */
public final class ApiFailures {
  private ApiFailures() {}

  /**
   * Whether {@code t} (or a cause) is a failure a client-go client retries: a conflict (409),
   * throttling (429), a server error (5xx), a timeout or a dropped connection. 401, 403, 404, 422
   * and the like are lasting.
   */
  public static boolean isTransient(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof KubernetesClientException k) {
        int code = k.getCode();
        if (code == 409 || code == 429 || code >= 500) {
          return true;
        }
        if (code != 0) {
          return false;
        }
      }
      if (c instanceof java.io.IOException || c instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }
}
