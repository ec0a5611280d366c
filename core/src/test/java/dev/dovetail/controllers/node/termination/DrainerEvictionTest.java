package dev.dovetail.controllers.node.termination;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class DrainerEvictionTest {
  /** The eviction is for this pod, not for whatever pod has its name when it arrives. */
  @Test
  void anEvictionNamesThePodsUidAsItsPrecondition() {
    Pod p =
        new PodBuilder()
            .withNewMetadata()
            .withName("db-0")
            .withNamespace("data")
            .withUid("uid-1")
            .endMetadata()
            .build();

    var eviction = Drainer.eviction(p);

    assertThat(eviction.getMetadata().getName()).isEqualTo("db-0");
    assertThat(eviction.getMetadata().getNamespace()).isEqualTo("data");
    assertThat(eviction.getDeleteOptions().getPreconditions().getUid()).isEqualTo("uid-1");
  }
}
