package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.controllers.Harness;
import org.junit.jupiter.api.Test;

/**
 * Two caches of one kind, each fed its own copies of each version (as two watches deserialize their
 * own), in the orders two watches deliver them: they end on one object per version.
 */
class SharedCopiesTest {
  private final SharedCopies<NodeClaim> copies = new SharedCopies<>();
  private final WithoutManagedFields<NodeClaim> state = WithoutManagedFields.compacting(copies);
  private final WithoutManagedFields<NodeClaim> reconciler = WithoutManagedFields.sharing(copies);

  /** A fresh copy of claim {@code name} at {@code version}, as a watch event deserializes it. */
  private static NodeClaim version(String name, int version) {
    NodeClaim claim = Harness.nodeClaim(name, null);
    claim.getMetadata().setResourceVersion(Integer.toString(version));
    return claim;
  }

  @Test
  void aCacheOneVersionBehindStillEndsOnTheOthersObject() {
    state.put("a", version("a", 5));
    state.put("a", version("a", 6));
    reconciler.put("a", version("a", 5)); // its watch delivers v5 after the other's v6
    assertThat(reconciler.get("a")).isNotSameAs(state.get("a"));
    reconciler.put("a", version("a", 6));

    assertThat(reconciler.get("a")).isSameAs(state.get("a"));
    assertThat(copies.versions("a")).as("v5 is held by neither cache any more").isEqualTo(1);
  }

  @Test
  void eitherCacheMayBeFirstForEachVersion() {
    reconciler.put("a", version("a", 1));
    state.put("a", version("a", 1));
    assertThat(state.get("a")).isSameAs(reconciler.get("a"));

    state.put("a", version("a", 2));
    reconciler.put("a", version("a", 2));
    assertThat(state.get("a")).isSameAs(reconciler.get("a"));

    reconciler.put("a", version("a", 3));
    state.put("a", version("a", 3));
    assertThat(state.get("a")).isSameAs(reconciler.get("a"));
    assertThat(copies.versions("a")).isEqualTo(1);
  }

  @Test
  void aCacheThatNeverCatchesUpKeepsOnlyWhatEachCacheHolds() {
    reconciler.put("a", version("a", 1));
    for (int v = 1; v <= 10; v++) {
      state.put("a", version("a", v));
    }
    assertThat(copies.versions("a")).as("v1 (the reconciler's) and v10 (the state's)").isEqualTo(2);
    assertThat(reconciler.get("a").getMetadata().getResourceVersion()).isEqualTo("1");
  }

  @Test
  void theSameObjectStoredAgainIsNotCountedTwice() {
    NodeClaim v1 = version("a", 1);
    state.put("a", v1);
    state.put("a", v1); // a relist of an unchanged object
    reconciler.put("a", version("a", 1));
    state.remove("a");
    reconciler.remove("a");
    assertThat(copies.size()).as("nothing kept once both caches dropped the claim").isZero();
  }

  @Test
  void deletesForgetTheNameAndObjectsWithoutAVersionAreNotShared() {
    state.put("a", version("a", 1));
    reconciler.put("a", version("a", 1));
    state.put("b", version("b", 1));
    state.remove("a");
    assertThat(copies.size()).as("the reconciler still holds a").isEqualTo(2);
    reconciler.remove("a");
    state.remove("b");
    assertThat(copies.size()).isZero();

    NodeClaim unversioned = Harness.nodeClaim("c", null);
    state.put("c", unversioned);
    reconciler.put("c", Harness.nodeClaim("c", null));
    assertThat(reconciler.get("c")).isNotSameAs(unversioned);
    assertThat(copies.size()).isZero();
  }
}
