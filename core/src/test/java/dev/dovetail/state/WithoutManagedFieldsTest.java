package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

/** The store caches objects without managedFields and otherwise as a plain store. */
class WithoutManagedFieldsTest {
  @Test
  void anObjectIsStoredWithoutItsManagedFieldsUnderItsKey() {
    NodeClaim claim = new NodeClaim();
    claim.setMetadata(
        new ObjectMetaBuilder()
            .withName("general-abcde")
            .addToLabels("karpenter.sh/nodepool", "general")
            .withManagedFields(
                new ManagedFieldsEntryBuilder()
                    .withManager("nodeclaim.lifecycle")
                    .withOperation("Apply")
                    .withSubresource("status")
                    .build())
            .build());
    WithoutManagedFields<NodeClaim> store = new WithoutManagedFields<>();

    store.put(store.getKey(claim), claim);

    NodeClaim cached = store.get("general-abcde");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getLabels()).containsEntry("karpenter.sh/nodepool", "general");
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.keySet()).containsExactly("general-abcde");
    assertThat(store.remove("general-abcde")).isSameAs(cached);
    assertThat(store.size()).isZero();
  }
}
