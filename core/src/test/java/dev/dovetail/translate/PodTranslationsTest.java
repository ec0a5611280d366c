package dev.dovetail.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.scheduling.SchedulingPod;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodTranslationsTest {

  private static Pod pod(String uid, String rv, String cpu) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("web-" + uid)
        .withNamespace("shop")
        .withUid(uid)
        .withResourceVersion(rv)
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withNewResources()
        .addToRequests("cpu", new Quantity(cpu))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void consumersShareOneTranslationPerPodVersion() {
    PodTranslations shared = new PodTranslations();
    // Two consumers as the provisioner and the disruption model build them, each with its own
    // translator, reading the same pod version as two separately deserialized objects.
    PodTranslator provisioning = new PodTranslator(shared);
    PodTranslator disruption = new PodTranslator(shared);

    SchedulingPod first = provisioning.translate(pod("u1", "10", "500m"));
    SchedulingPod second = disruption.translate(pod("u1", "10", "500m"));

    assertThat(second).isSameAs(first);
    assertThat(first).isEqualTo(new PodTranslator().translate(pod("u1", "10", "500m")));
    assertThat(shared.size()).isEqualTo(1);
  }

  @Test
  void aNewVersionGetsAFreshTranslationThatReplacesTheOld() {
    PodTranslations shared = new PodTranslations();
    PodTranslator a = new PodTranslator(shared);
    PodTranslator b = new PodTranslator(shared);
    SchedulingPod before = a.translate(pod("u1", "10", "500m"));

    SchedulingPod after = b.translate(pod("u1", "11", "2"));

    assertThat(after).isNotSameAs(before);
    assertThat(after.requests().get(Resources.CPU)).isEqualTo(2000L);
    assertThat(a.translate(pod("u1", "11", "2"))).isSameAs(after);
    assertThat(shared.size()).isEqualTo(1);
  }

  @Test
  void aForgottenPodIsTranslatedAgain() {
    PodTranslations shared = new PodTranslations();
    PodTranslator t = new PodTranslator(shared);
    SchedulingPod before = t.translate(pod("u1", "10", "500m"));

    shared.forget(pod("u1", "10", "500m"));

    assertThat(shared.size()).isZero();
    assertThat(t.translate(pod("u1", "10", "500m"))).isNotSameAs(before).isEqualTo(before);
  }

  @Test
  void podsWithoutAVersionAreNotShared() {
    PodTranslations shared = new PodTranslations();
    PodTranslator t = new PodTranslator(shared);

    SchedulingPod first = t.translate(pod("u1", null, "500m"));

    assertThat(t.translate(pod("u1", null, "500m"))).isNotSameAs(first).isEqualTo(first);
    assertThat(shared.size()).isZero();
  }

  @Test
  void translationsThatReadTheClusterAreNotShared() {
    // A PVC's topology and a namespaceSelector's namespaces come from other objects, which can
    // change while the pod's version stays: each translator resolves them itself.
    PodTranslations shared = new PodTranslations();
    Pod withClaim =
        new PodBuilder(pod("u1", "10", "500m"))
            .editSpec()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName("data-0")
            .endPersistentVolumeClaim()
            .endVolume()
            .endSpec()
            .build();
    Requirements zoneA = Requirements.of(Requirement.in("topology.kubernetes.io/zone", "a"));
    Requirements zoneB = Requirements.of(Requirement.in("topology.kubernetes.io/zone", "b"));
    PodTranslator inA = new PodTranslator((ns, claim) -> zoneA, null, shared);
    PodTranslator inB = new PodTranslator((ns, claim) -> zoneB, null, shared);

    assertThat(inA.translate(withClaim).volumeRequirements()).isEqualTo(zoneA);
    assertThat(inB.translate(withClaim).volumeRequirements()).isEqualTo(zoneB);

    Pod withNamespaceSelector =
        new PodBuilder(pod("u2", "10", "500m"))
            .editSpec()
            .withNewAffinity()
            .withNewPodAntiAffinity()
            .addNewRequiredDuringSchedulingIgnoredDuringExecution()
            .withTopologyKey("kubernetes.io/hostname")
            .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "web").build())
            .withNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels("team", "x").build())
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endPodAntiAffinity()
            .endAffinity()
            .endSpec()
            .build();
    PodTranslator one = new PodTranslator(null, s -> Set.of("n1"), shared);
    PodTranslator two = new PodTranslator(null, s -> Set.of("n2"), shared);

    assertThat(one.translate(withNamespaceSelector).podAntiAffinity().get(0).namespaces())
        .containsExactly("n1");
    assertThat(two.translate(withNamespaceSelector).podAntiAffinity().get(0).namespaces())
        .containsExactly("n2");
    assertThat(shared.size()).isZero();
  }

  @Test
  void pastCapacityTheLeastRecentlyUsedLeaves() {
    PodTranslations shared = new PodTranslations(2);
    PodTranslator t = new PodTranslator(shared);
    SchedulingPod first = t.translate(pod("u1", "1", "1"));
    t.translate(pod("u2", "1", "1"));
    t.translate(pod("u1", "1", "1")); // u1 used last: u2 is the eldest
    t.translate(pod("u3", "1", "1"));

    assertThat(shared.size()).isEqualTo(2);
    assertThat(t.translate(pod("u1", "1", "1"))).isSameAs(first);
  }
}
