package dev.dovetail.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.kube.EmbeddedApiServer;
import dev.dovetail.state.ClusterState;
import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The controllers built from one {@link ControllerContext} share its pod translations, and a pod
 * deleted from the cluster leaves them: the translations never outgrow the pods.
 */
class SharedPodTranslationsMockTest {
  private final EmbeddedApiServer api = EmbeddedApiServer.start();
  private final KubernetesClient client = api.client();
  private final ClusterState state = new ClusterState(client, MutableClock.startingNow()).start();
  private final ControllerContext context =
      new ControllerContext(client, state, null, null, MutableClock.startingNow());

  @AfterEach
  void stop() {
    state.close();
    client.close();
    api.close();
  }

  @Test
  void aDeletedPodsTranslationIsForgotten() throws Exception {
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withNewResources()
                .addToRequests("cpu", new Quantity("1"))
                .endResources()
                .endContainer()
                .endSpec()
                .build())
        .create();
    Eventually.await(
        Duration.ofSeconds(10), () -> state.pods().size() == 1, () -> "the informer caught up");
    Pod cached = state.pods().get(0);
    PodTranslator provisioning = new PodTranslator(context.podTranslations());
    PodTranslator disruption = new PodTranslator(context.podTranslations());

    assertThat(disruption.translate(cached)).isSameAs(provisioning.translate(cached));
    assertThat(context.podTranslations().size()).isEqualTo(1);

    client.resource(cached).withGracePeriod(0).delete();

    Eventually.await(
        Duration.ofSeconds(10),
        () -> context.podTranslations().size() == 0,
        () -> "the deleted pod's translation is still held");
  }
}
