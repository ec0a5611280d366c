package dev.dovetail.clusterapi.capi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaIntentsTest {
  private static GenericKubernetesResource obj(Map<String, String> annotations) {
    GenericKubernetesResource o = new GenericKubernetesResource();
    o.setMetadata(new ObjectMetaBuilder().withName("md").withAnnotations(annotations).build());
    return o;
  }

  @Test
  void roundTripsThroughTheAnnotation() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    ReplicaIntents i =
        ReplicaIntents.EMPTY.withPending("nc-1", t, true).withReleased("m-1", t.plusSeconds(5));
    GenericKubernetesResource o = obj(Map.of());
    i.writeTo(o);
    ReplicaIntents back = ReplicaIntents.of(o);
    assertThat(back).isEqualTo(i);
    assertThat(back.pending().get("nc-1"))
        .isEqualTo(new ReplicaIntents.Pending(t.getEpochSecond(), true));
    back.withoutPending("nc-1").withoutReleased("m-1").writeTo(o);
    assertThat(o.getMetadata().getAnnotations()).doesNotContainKey(Capi.INTENTS_ANNOTATION);
  }

  @Test
  void unreadableContentCountsAsNone() {
    assertThat(ReplicaIntents.of(obj(Map.of(Capi.INTENTS_ANNOTATION, "{not json"))))
        .isEqualTo(ReplicaIntents.EMPTY);
  }
}
