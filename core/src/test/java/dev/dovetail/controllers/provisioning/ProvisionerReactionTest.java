package dev.dovetail.controllers.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.controllers.provisioning.Provisioner.Reaction;
import dev.dovetail.state.TestPods;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

/** Which watched changes make the provisioner look for work, and which do not. */
class ProvisionerReactionTest {
  @Test
  void aPodWaitingForCapacityTriggersABatch() {
    assertThat(Provisioner.reaction(pod(true))).isEqualTo(Reaction.TRIGGER);
    assertThat(Provisioner.reaction(pod(false))).isEqualTo(Reaction.NONE);
  }

  @Test
  void aNodeClaimChangeCallsForALookNotABatch() {
    // A look reads the provisionable-pod index; only a provisionable pod found there starts a
    // batch.
    assertThat(Provisioner.reaction(claim(null))).isEqualTo(Reaction.LOOK);
    assertThat(Provisioner.reaction(claim("2026-12-02T10:00:00Z"))).isEqualTo(Reaction.LOOK);
  }

  @Test
  void aNodePoolChangeCallsForALook() {
    NodePool pool = new NodePool();
    pool.setMetadata(new ObjectMetaBuilder().withName("default").build());
    assertThat(Provisioner.reaction(pool)).isEqualTo(Reaction.LOOK);
    assertThat(Provisioner.reaction(new Node())).isEqualTo(Reaction.NONE);
  }

  private static NodeClaim claim(String deletionTimestamp) {
    NodeClaim c = new NodeClaim();
    c.setMetadata(
        new ObjectMetaBuilder().withName("c").withDeletionTimestamp(deletionTimestamp).build());
    return c;
  }

  private static Pod pod(boolean unschedulable) {
    return TestPods.pod("p", "100m", null, unschedulable);
  }
}
