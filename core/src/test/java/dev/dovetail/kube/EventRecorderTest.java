package dev.dovetail.kube;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
  /**
   * An event still queued when the operator shuts down meets a closed client: it is dropped like
   * any other event that cannot be published, instead of escaping as an uncaught exception.
   */
  @Test
  void anEventForAClosedClientIsDroppedNotThrown() {
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build())
            .build();
    client.close();
    EventRecorder recorder = new EventRecorder(client, Clock.systemUTC(), Duration.ofMinutes(1));
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withNamespace("default")
            .endMetadata()
            .build();

    assertThatCode(() -> recorder.normal(pod, "Nominated", "to node n")).doesNotThrowAnyException();
  }
}
