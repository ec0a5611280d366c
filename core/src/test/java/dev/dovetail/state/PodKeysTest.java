package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/**
 * A pod's {@code namespace/name} is one string object wherever it is a key: the informer's store,
 * the cluster state's maps, the engine's pod id (each was a copy of its own per pod).
 */
class PodKeysTest {
  private static Pod pod() {
    // a new name string each time, as each watch event deserialises one
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(new String("web-1d46c-9vkb2"))
        .endMetadata()
        .build();
  }

  @Test
  void everyKeyOfAPodIsTheSameObject() {
    Pod a = pod();
    Pod b = pod();
    WithoutManagedFields<Pod> store = WithoutManagedFields.compacting();

    String key = ClusterState.podKey(a);
    assertThat(key).isEqualTo("default/web-1d46c-9vkb2");
    assertThat(ClusterState.podKey(b)).isSameAs(key);
    assertThat(PodTranslator.id(b)).isSameAs(key);
    assertThat(store.getKey(b)).isSameAs(key);
  }
}
