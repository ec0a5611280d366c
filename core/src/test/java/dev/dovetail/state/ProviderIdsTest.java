package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimStatus;
import dev.dovetail.controllers.Harness;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

/** One map answers node-by-provider-ID and claim-by-provider-ID through adds, updates, deletes. */
class ProviderIdsTest {
  private final ProviderIds ids = new ProviderIds();

  @Test
  void aNodeAndItsClaimShareOneEntry() {
    ids.claimSeen(null, claim("claim-a", "sim:///i-1"));
    ids.nodeSeen(null, Harness.node("node-a", "sim:///i-1"));

    assertThat(ids.node("sim:///i-1")).contains("node-a");
    assertThat(ids.claim("sim:///i-1")).contains("claim-a");
    assertThat(ids.size()).isEqualTo(1);
    assertThat(ids.node("sim:///i-2")).isEmpty();
    assertThat(ids.claim(null)).isEmpty();
  }

  @Test
  void aNodeWhoseProviderIdIsSetLaterIsFoundFromThatUpdate() {
    Node registering = Harness.node("node-a", null);
    ids.nodeSeen(null, registering);
    assertThat(ids.size()).isZero();

    Node withId = Harness.node("node-a", "sim:///i-1");
    ids.nodeSeen(registering, withId);

    assertThat(ids.node("sim:///i-1")).contains("node-a");
  }

  @Test
  void aClaimIsFoundOnceItsLaunchWritesTheProviderId() {
    NodeClaim launching = claim("claim-a", null);
    ids.claimSeen(null, launching);
    assertThat(ids.claim("sim:///i-1")).isEmpty();

    ids.claimSeen(launching, claim("claim-a", "sim:///i-1"));

    assertThat(ids.claim("sim:///i-1")).contains("claim-a");
  }

  @Test
  void aChangedProviderIdMovesTheEntry() {
    Node before = Harness.node("node-a", "sim:///i-1");
    ids.nodeSeen(null, before);

    ids.nodeSeen(before, Harness.node("node-a", "sim:///i-2"));

    assertThat(ids.node("sim:///i-1")).isEmpty();
    assertThat(ids.node("sim:///i-2")).contains("node-a");
    assertThat(ids.size()).isEqualTo(1);
  }

  @Test
  void deletingOneSideKeepsTheOtherAndDeletingBothLeavesNothing() {
    Node node = Harness.node("node-a", "sim:///i-1");
    NodeClaim claim = claim("claim-a", "sim:///i-1");
    ids.nodeSeen(null, node);
    ids.claimSeen(null, claim);

    ids.nodeGone(node);
    assertThat(ids.node("sim:///i-1")).isEmpty();
    assertThat(ids.claim("sim:///i-1")).contains("claim-a");

    ids.claimGone(claim);
    assertThat(ids.claim("sim:///i-1")).isEmpty();
    assertThat(ids.size()).isZero();
  }

  @Test
  void anObjectOnlyClearsTheIdWhileItStillHoldsIt() {
    Node old = Harness.node("node-old", "sim:///i-1");
    ids.nodeSeen(null, old);
    ids.nodeSeen(null, Harness.node("node-new", "sim:///i-1"));

    ids.nodeGone(old); // the delete of the object the ID was taken from

    assertThat(ids.node("sim:///i-1")).contains("node-new");
  }

  private static NodeClaim claim(String name, String providerId) {
    NodeClaim c = new NodeClaim();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    NodeClaimStatus status = new NodeClaimStatus();
    status.setProviderID(providerId);
    c.setStatus(status);
    return c;
  }
}
