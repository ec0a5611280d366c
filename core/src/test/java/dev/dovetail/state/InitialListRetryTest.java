package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class InitialListRetryTest {
  private static KubernetesClientException status(int code) {
    return new KubernetesClientException("injected", code, null);
  }

  @Test
  void aTransientFailureOfTheFirstListIsRetriedABoundedNumberOfTimes() {
    InitialListRetry handler = new InitialListRetry(3);
    assertThat(handler.retryAfterException(false, status(409))).isTrue();
    assertThat(handler.retryAfterException(false, status(429))).isTrue();
    assertThat(handler.retryAfterException(false, new RuntimeException(new IOException("reset"))))
        .isTrue();
    assertThat(handler.retryAfterException(false, status(500))).isFalse();
  }

  @Test
  void aLastingFailureFailsTheStartAtOnce() {
    InitialListRetry handler = new InitialListRetry(10);
    assertThat(handler.retryAfterException(false, status(403))).isFalse();
    assertThat(handler.retryAfterException(false, status(404))).isFalse();
    assertThat(handler.retryAfterException(false, new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void onceStartedItBehavesAsFabric8sDefault() {
    InitialListRetry handler = new InitialListRetry(0);
    assertThat(handler.retryAfterException(true, status(403))).isTrue();
    assertThat(handler.retryAfterException(true, new WatcherException("gone"))).isFalse();
  }
}
