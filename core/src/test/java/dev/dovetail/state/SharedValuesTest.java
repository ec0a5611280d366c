package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cached pod's empty lists and maps become the shared empties and its strings the canonical
 * copies; nothing else changes.
 */
class SharedValuesTest {
  private static final String POD =
      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\",\"namespace\":"
          + "\"default\",\"labels\":{\"app\":\"web\"},\"ownerReferences\":[{\"apiVersion\":"
          + "\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"web\",\"uid\":\"rs\"}]},\"spec\":"
          + "{\"containers\":[{\"name\":\"web\",\"image\":\"pause\",\"resources\":{\"requests\":"
          + "{\"cpu\":\"250m\",\"memory\":\"512Mi\"}}}],\"nodeName\":\"n1\"},\"status\":{\"phase\":"
          + "\"Running\",\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"True\"}]}}";

  private final KubernetesSerialization json = new KubernetesSerialization();

  @Test
  void emptyListsAndMapsAreSharedAndTheObjectReadsTheSame() {
    Pod pod = json.unmarshal(POD, Pod.class);
    // fabric8 gives each its own: this is what the cut is for
    assertThat(pod.getSpec().getTolerations()).isEmpty();
    assertThat(pod.getSpec().getTolerations()).isNotSameAs(Collections.emptyList());
    assertThat(pod.getSpec().getAdditionalProperties()).isEmpty();
    assertThat(pod.getSpec().getAdditionalProperties()).isNotSameAs(Collections.emptyMap());

    new SharedValues().compact(pod);

    assertThat(pod.getSpec().getTolerations()).isSameAs(Collections.emptyList());
    assertThat(pod.getSpec().getInitContainers()).isSameAs(Collections.emptyList());
    assertThat(pod.getSpec().getAdditionalProperties()).isSameAs(Collections.emptyMap());
    // nested: the container, its resources and their quantities, the owner, the status
    assertThat(pod.getSpec().getContainers().get(0).getEnv()).isSameAs(Collections.emptyList());
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
        .isSameAs(Collections.emptyMap());
    assertThat(
            pod.getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getRequests()
                .get("cpu")
                .getAdditionalProperties())
        .isSameAs(Collections.emptyMap());
    assertThat(pod.getMetadata().getOwnerReferences().get(0).getAdditionalProperties())
        .isSameAs(Collections.emptyMap());
    assertThat(pod.getStatus().getContainerStatuses()).isSameAs(Collections.emptyList());
    // what had content keeps it, and the object serialises as it was read
    assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(pod.getStatus().getConditions()).hasSize(1);
    assertThat(json.unmarshal(json.asJson(pod), Pod.class))
        .isEqualTo(json.unmarshal(POD, Pod.class));
  }

  @Test
  void quantitiesOfTwoPodsShareTheirStrings() {
    // fabric8 parses a quantity itself: "250m" becomes two new strings per pod
    Pod a = json.unmarshal(POD, Pod.class);
    Pod b = json.unmarshal(POD, Pod.class);
    assertThat(cpu(b).getAmount()).isEqualTo(cpu(a).getAmount()).isNotSameAs(cpu(a).getAmount());

    new SharedValues().compact(a);
    new SharedValues().compact(b);

    assertThat(cpu(b).getAmount()).isSameAs(cpu(a).getAmount());
    assertThat(cpu(b).getFormat()).isSameAs(cpu(a).getFormat());
    assertThat(b.getMetadata().getName()).isSameAs(a.getMetadata().getName());
    assertThat(cpu(a)).isEqualTo(new io.fabric8.kubernetes.api.model.Quantity("250m"));
  }

  private static io.fabric8.kubernetes.api.model.Quantity cpu(Pod pod) {
    return pod.getSpec().getContainers().get(0).getResources().getRequests().get("cpu");
  }

  @Test
  void aCopyMadeFromACompactedObjectCanBeChanged() {
    Pod pod = new SharedValues().compact(json.unmarshal(POD, Pod.class));

    Pod tainted =
        new PodBuilder(pod)
            .editSpec()
            .addNewToleration()
            .withKey("k")
            .withOperator("Exists")
            .endToleration()
            .endSpec()
            .editMetadata()
            .addToAnnotations("a", "b")
            .addToLabels("tier", "front")
            .endMetadata()
            .build();

    assertThat(tainted.getSpec().getTolerations()).hasSize(1);
    assertThat(tainted.getMetadata().getAnnotations()).containsEntry("a", "b");
    assertThat(tainted.getMetadata().getLabels())
        .containsEntry("app", "web")
        .containsEntry("tier", "front");
    assertThat(pod.getSpec().getTolerations()).isEmpty();
    assertThat(pod.getMetadata().getLabels()).containsOnlyKeys("app");
  }

  @Test
  void mapsOfStringsAndQuantitiesBecomeCompactAndTheRestStayAsTheyAre() {
    Pod pod = json.unmarshal(POD, Pod.class);
    pod.getSpec().getAdditionalProperties().put("extra", new java.util.ArrayList<>(List.of("x")));

    new SharedValues().compact(pod);

    assertThat(pod.getMetadata().getLabels())
        .isInstanceOf(CompactMap.class)
        .containsExactly(Map.entry("app", "web"));
    Map<String, Quantity> requests =
        pod.getSpec().getContainers().get(0).getResources().getRequests();
    assertThat(requests).isInstanceOf(CompactMap.class);
    assertThat(List.copyOf(requests.keySet())).containsExactly("cpu", "memory");
    assertThat(requests.get("memory")).isEqualTo(new Quantity("512Mi"));
    // any JSON, which code may hold and change: not compacted
    assertThat(pod.getSpec().getAdditionalProperties()).isNotInstanceOf(CompactMap.class);
    assertThatThrownBy(() -> pod.getMetadata().getLabels().put("tier", "front"))
        .isInstanceOf(UnsupportedOperationException.class);
    // compacting again changes nothing
    Map<String, String> labels = pod.getMetadata().getLabels();
    new SharedValues().compact(pod);
    assertThat(pod.getMetadata().getLabels()).isSameAs(labels);
  }

  private static final String CLAIM =
      "{\"apiVersion\":\"karpenter.sh/v1\",\"kind\":\"NodeClaim\",\"metadata\":{\"name\":"
          + "\"general-abcde\"},\"spec\":{\"nodeClassRef\":{\"group\":\"karpenter.k8s.aws\","
          + "\"kind\":\"EC2NodeClass\",\"name\":\"default\"}},\"status\":{\"capacity\":"
          + "{\"cpu\":\"2\",\"memory\":\"3788Mi\"},\"conditions\":[{\"type\":\"Launched\","
          + "\"status\":\"True\"}]}}";

  @Test
  void ourKindsGetCanonicalStringsAndKeepTheirOwnEmptyLists() {
    var a = json.unmarshal(CLAIM, dev.dovetail.apis.v1.NodeClaim.class);
    var b = json.unmarshal(CLAIM, dev.dovetail.apis.v1.NodeClaim.class);
    // fabric8 computes these per object, and parses each quantity into new strings
    assertThat(b.getCRDName()).isEqualTo(a.getCRDName()).isNotSameAs(a.getCRDName());
    assertThat(memory(b).getFormat()).isNotSameAs(memory(a).getFormat());

    new SharedValues().compact(a);
    new SharedValues().compact(b);

    assertThat(b.getCRDName()).isSameAs(a.getCRDName());
    assertThat(memory(b).getFormat()).isSameAs(memory(a).getFormat()).isEqualTo("Mi");
    assertThat(memory(b).getAmount()).isSameAs(memory(a).getAmount());
    // fabric8's parts of our kind are compacted; our own lists are left for our code
    assertThat(a.getStatus().getConditions().get(0).getAdditionalProperties())
        .isSameAs(Collections.emptyMap());
    assertThat(a.getSpec().getRequirements()).isEmpty();
    assertThat(a.getSpec().getRequirements()).isNotSameAs(Collections.emptyList());
    assertThat(json.unmarshal(json.asJson(a), dev.dovetail.apis.v1.NodeClaim.class))
        .usingRecursiveComparison()
        .isEqualTo(json.unmarshal(CLAIM, dev.dovetail.apis.v1.NodeClaim.class));
  }

  private static io.fabric8.kubernetes.api.model.Quantity memory(dev.dovetail.apis.v1.NodeClaim c) {
    return c.getStatus().getCapacity().get("memory");
  }
}
