package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class InformerRetryTest {
  private static KubernetesClientException status(int code) {
    return new KubernetesClientException("injected", code, null);
  }

  @Test
  void aTransientFailureOfTheFirstListIsRetriedABoundedNumberOfTimes() {
    InformerRetry handler = new InformerRetry(3);
    assertThat(handler.retryAfterException(false, status(409))).isTrue();
    assertThat(handler.retryAfterException(false, status(429))).isTrue();
    assertThat(handler.retryAfterException(false, new RuntimeException(new IOException("reset"))))
        .isTrue();
    assertThat(handler.retryAfterException(false, status(500))).isFalse();
  }

  @Test
  void aLastingFailureFailsTheStartAtOnce() {
    InformerRetry handler = new InformerRetry(10);
    assertThat(handler.retryAfterException(false, status(403))).isFalse();
    assertThat(handler.retryAfterException(false, status(404))).isFalse();
    assertThat(handler.retryAfterException(false, new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void onceStartedEveryWatchFailureIsRetriedEvenAnEventThatDidNotParse() {
    InformerRetry handler = new InformerRetry(0);
    assertThat(handler.retryAfterException(true, status(403))).isTrue();
    assertThat(handler.retryAfterException(true, new WatcherException("gone"))).isTrue();
    // what a corrupted watch event gave (fabric8's default stops the informer for good on it)
    WatcherException unparsable =
        new WatcherException(
            "Unexpected exception processing watch event",
            new com.fasterxml.jackson.core.JsonParseException(
                null, "Unexpected close marker ']': expected '}'"));
    assertThat(handler.retryAfterException(true, unparsable)).isTrue();
  }
}
