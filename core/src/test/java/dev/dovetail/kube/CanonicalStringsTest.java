package dev.dovetail.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** Objects read through the controllers' serialisation share their repeated strings. */
class CanonicalStringsTest {
  private static final String CLAIM =
      "{\"apiVersion\":\"karpenter.sh/v1\",\"kind\":\"NodeClaim\",\"metadata\":{\"name\":\"%s\","
          + "\"labels\":{\"karpenter.sh/nodepool\":\"general\"}},\"spec\":{\"nodeClassRef\":"
          + "{\"group\":\"karpenter.k8s.aws\",\"kind\":\"EC2NodeClass\",\"name\":\"default\"},"
          + "\"requirements\":[{\"key\":\"node.kubernetes.io/instance-type\",\"operator\":\"In\","
          + "\"values\":[\"t4g.small\",\"m6g.large\"]}]}}";
  private static final String POD =
      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\",\"namespace\":"
          + "\"default\",\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\","
          + "\"name\":\"web-1d46c\",\"uid\":\"rs-web\"}]},\"spec\":{\"containers\":[{\"name\":"
          + "\"web\",\"image\":\"registry.k8s.io/pause:3.10\"}]}}";

  @Test
  void repeatedValuesAreOneStringAcrossObjects() {
    KubernetesSerialization canonical = CanonicalStrings.serialization();
    NodeClaim a = canonical.unmarshal(CLAIM.formatted("a"), NodeClaim.class);
    NodeClaim b = canonical.unmarshal(CLAIM.formatted("b"), NodeClaim.class);
    assertThat(b.getSpec().getRequirements().get(0).getValues().get(1))
        .isSameAs(a.getSpec().getRequirements().get(0).getValues().get(1));
    assertThat(b.getMetadata().getLabels().get("karpenter.sh/nodepool"))
        .isSameAs(a.getMetadata().getLabels().get("karpenter.sh/nodepool"));
    assertThat(b.getSpec().getNodeClassRef().getKind())
        .isSameAs(a.getSpec().getNodeClassRef().getKind());
    assertThat(b.getMetadata().getName()).isEqualTo("b");

    Pod p = canonical.unmarshal(POD.formatted("web-1d46c-aaaaa"), Pod.class);
    Pod q = canonical.unmarshal(POD.formatted("web-1d46c-bbbbb"), Pod.class);
    assertThat(q.getMetadata().getOwnerReferences().get(0).getName())
        .isSameAs(p.getMetadata().getOwnerReferences().get(0).getName());
    assertThat(q.getSpec().getContainers().get(0).getImage())
        .isSameAs(p.getSpec().getContainers().get(0).getImage());
    assertThat(q.getMetadata().getNamespace()).isSameAs(p.getMetadata().getNamespace());
  }

  @Test
  void theCopyIsTheJvmsInternedOneWhetherSeenRecentlyOrNot() {
    CanonicalStrings.Interning interning = new CanonicalStrings.Interning();
    String first = interning.canonical(new String("m6g.large"));
    // seen before: from the cache, still the interned copy
    assertThat(interning.canonical(new String("m6g.large"))).isSameAs(first);
    assertThat(first).isSameAs(new String("m6g.large").intern());
    // many other values since (its slot taken over): interned again, the same copy
    for (int i = 0; i < 20_000; i++) {
      assertThat(interning.canonical(new String("value-" + i))).isSameAs(("value-" + i).intern());
    }
    assertThat(interning.canonical(new String("m6g.large"))).isSameAs(first);
  }

  @Test
  void fabric8sOwnSerialisationKeepsACopyPerObject() {
    // What the controllers' caches held before: the same value once per object.
    KubernetesSerialization plain = new KubernetesSerialization();
    NodeClaim a = plain.unmarshal(CLAIM.formatted("a"), NodeClaim.class);
    NodeClaim b = plain.unmarshal(CLAIM.formatted("b"), NodeClaim.class);
    assertThat(b.getSpec().getRequirements().get(0).getValues().get(1))
        .isNotSameAs(a.getSpec().getRequirements().get(0).getValues().get(1));
  }
}
