package dev.dovetail.clusterapi;

import static dev.dovetail.cloudprovider.testkit.Eventually.await;
import static dev.dovetail.clusterapi.FaultingCrudDispatcher.Fault.CONFLICT;
import static dev.dovetail.clusterapi.FaultingCrudDispatcher.Fault.SERVER_ERROR;
import static dev.dovetail.clusterapi.FaultingCrudDispatcher.Fault.THROTTLE;
import static dev.dovetail.clusterapi.FaultingCrudDispatcher.Fault.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.clusterapi.FaultingCrudDispatcher.Target;
import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.Machines;
import dev.dovetail.clusterapi.capi.ReplicaIntents;
import dev.dovetail.clusterapi.capi.ReplicaScaler;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each fault the management cluster's API server can answer the bridge with, one at a time, on the
 * requests where it matters: 409 on the MachineDeployment and Machine updates (another writer got
 * there first), 429 and 500 (once: retried; persistently: surfaced, never read as "no capacity" or
 * "not found"), and a write whose answer timed out although it took effect (the retry must find
 * what the first attempt did, not do it twice). Each test fails if the bridge's handling of its
 * fault is removed (see the comment on each).
 */
class ClusterApiWireFaultsMockTest extends BridgeMockTestBase {
  private static final Target MD_UPDATE = Target.update("machinedeployments");
  private static final Target MACHINE_UPDATE = Target.update("machines");
  private static final Target MACHINE_LIST = Target.list("machines");

  private FaultingCrudDispatcher faults;
  private ClusterApiCloudProvider bridge;

  @BeforeEach
  void bridge() {
    cluster.machineDeployment("md", 0, Map.of());
    faults = cluster.faults();
    bridge = faultable();
  }

  // ------------------------------------------------------------------ 409

  /** Without ReplicaScaler's re-read on 409 the create fails with the conflict. */
  @Test
  void aConflictOnTheMachineDeploymentUpdateIsReadAgainAndRetried() {
    faults.inject(MD_UPDATE, CONFLICT, 3);
    Instance i = retrying(bridge, claim("nc-1", "md"));
    assertThat(faults.injected(CONFLICT)).isEqualTo(3);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    assertOneMachineFor("nc-1", i);
  }

  /**
   * A 409 on the claim of a free Machine means another claimer (or CAPI) wrote it first: not won,
   * look again. Without that (the 409 thrown) the create fails.
   */
  @Test
  void aConflictOnTheMachineClaimIsNotAClaimWon() {
    faults.inject(MACHINE_UPDATE, CONFLICT, 2);
    Instance i = retrying(bridge, claim("nc-1", "md"));
    assertThat(faults.injected(CONFLICT)).isEqualTo(2);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    assertOneMachineFor("nc-1", i);
  }

  /** Release under conflicts on both of its writes: marked once, replicas lowered once. */
  @Test
  void aConflictWhileReleasingIsRetriedAndShrinksOnce() throws Exception {
    Instance a = retrying(bridge, claim("nc-a", "md"));
    Instance b = retrying(bridge, claim("nc-b", "md"));
    faults.inject(MACHINE_UPDATE, CONFLICT, 2);
    faults.inject(MD_UPDATE, CONFLICT, 2);
    bridge.delete(a.providerId());
    assertThat(faults.injected(CONFLICT)).isEqualTo(4);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    awaitOnlyMachine(b);
  }

  // ------------------------------------------------------------------ 429

  /** fabric8 retries a 429 after its Retry-After; a client without retries fails the create. */
  @Test
  void aThrottledUpdateIsRetried() {
    faults.inject(MD_UPDATE, THROTTLE, 2);
    Instance i = retrying(bridge, claim("nc-1", "md"));
    assertThat(faults.injected(THROTTLE)).isEqualTo(2);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    assertOneMachineFor("nc-1", i);
  }

  /**
   * Throttled until the client gives up: get, list and create fail with the API error, never with
   * "not found" (the core would delete the NodeClaim of a running Machine) or "insufficient
   * capacity" (it would mark the offering unavailable for a fault that says nothing about it).
   */
  @Test
  void persistentThrottlingSurfacesAsAnErrorNotAsNotFoundOrNoCapacity() {
    Instance i = retrying(bridge, claim("nc-1", "md"));
    faults.inject(MACHINE_LIST, THROTTLE, 1000);
    assertSurfaced(() -> bridge.get(i.providerId()));
    assertSurfaced(() -> bridge.list());
    assertSurfaced(() -> bridge.create(claim("nc-2", "md")));
    assertSurfaced(() -> bridge.delete(i.providerId()));
    faults.clear();
    assertThat(bridge.get(i.providerId()).providerId()).isEqualTo(i.providerId());
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  // ------------------------------------------------------------------ 500

  /** One 500 is retried by the client: the create goes through as if nothing happened. */
  @Test
  void aServerErrorOnceIsRetried() {
    faults.inject(MACHINE_UPDATE, SERVER_ERROR, 1);
    Instance i = retrying(bridge, claim("nc-1", "md"));
    assertThat(faults.injected(SERVER_ERROR)).isEqualTo(1);
    assertOneMachineFor("nc-1", i);
  }

  /**
   * Persistent 500s on the replica give-back: the delete surfaces the error (not "not found": the
   * core would drop the finalizer of a Machine that still runs), keeps its replica, and the core's
   * retry completes it once: the other claim's Machine survives.
   */
  @Test
  void persistentServerErrorsOnReleaseSurfaceAndTheRetryReleasesOnce() throws Exception {
    Instance a = retrying(bridge, claim("nc-a", "md"));
    Instance b = retrying(bridge, claim("nc-b", "md"));
    faults.inject(MD_UPDATE, SERVER_ERROR, 1000);
    assertSurfaced(() -> bridge.delete(a.providerId()));
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(2);
    assertThat(bridge.get(a.providerId()).providerId()).isEqualTo(a.providerId());
    faults.clear();
    bridge.delete(a.providerId());
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    awaitOnlyMachine(b);
  }

  // ------------------------------------------------------------------ timeouts

  /**
   * The reservation (replicas + 1 and the pending claim, one update) took effect but its answer
   * timed out. The retried create must find its reservation and not scale again: without {@link
   * ReplicaIntents}' pending check the MachineDeployment would end at 2 replicas, one Machine
   * nobody claims (a leak).
   */
  @Test
  void aReservationWhoseAnswerTimedOutIsNotMadeTwice() throws Exception {
    faults.inject(MD_UPDATE, TIMEOUT, 1);
    Instance i = createUnderFault("nc-1");
    assertThat(faults.injected(TIMEOUT)).isEqualTo(1);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    assertOneMachineFor("nc-1", i);
    awaitOnlyMachine(i);
  }

  /**
   * The claim of a Machine (its NodeClaim label) took effect but its answer timed out. The retry
   * must return that Machine: taking another would give the NodeClaim two Machines (a duplicate)
   * and leave one of them unreleasable by its providerID.
   */
  @Test
  void aClaimWhoseAnswerTimedOutIsFoundAgainNotDoubled() throws Exception {
    faults.inject(MACHINE_UPDATE, TIMEOUT, 1);
    Instance i = createUnderFault("nc-1");
    assertThat(faults.injected(TIMEOUT)).isEqualTo(1);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    assertOneMachineFor("nc-1", i);
    awaitOnlyMachine(i);
  }

  /**
   * As above with two free Machines: fabric8 resends the timed-out claim, which now conflicts (409)
   * with the claim its first attempt made. Read as "another claimer won", the claimer would go on
   * to claim the second free Machine as well: two Machines for one NodeClaim. The claimer must
   * re-read the Machine on a 409 and recognise its own claim.
   */
  @Test
  void aClaimWhoseAnswerTimedOutDoesNotTakeASecondFreeMachine() throws Exception {
    cluster.edit(Capi.MACHINE_DEPLOYMENT, "md", o -> ReplicaScaler.setReplicas(o, 2));
    await(Duration.ofSeconds(10), () -> cluster.machines().size() == 2, "two free Machines");
    faults.inject(MACHINE_UPDATE, TIMEOUT, 1);
    Instance i = createUnderFault("nc-1");
    assertThat(faults.injected(TIMEOUT)).isEqualTo(1);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(2);
    assertOneMachineFor("nc-1", i);
    assertThat(claimedMachines()).as("claimed Machines").hasSize(1);
  }

  /**
   * The replica give-back took effect but its answer timed out; the core deletes again. The
   * MachineDeployment must end one lower, not two (the released-Machine record), and the other
   * claim's Machine must survive.
   */
  @Test
  void aReleaseWhoseAnswerTimedOutDoesNotShrinkTwice() throws Exception {
    Instance a = retrying(bridge, claim("nc-a", "md"));
    Instance b = retrying(bridge, claim("nc-b", "md"));
    faults.inject(MD_UPDATE, TIMEOUT, 1);
    try {
      bridge.delete(a.providerId());
    } catch (RuntimeException timedOut) {
      assertThat(timedOut).isNotInstanceOf(NodeClaimNotFoundException.class);
    }
    try {
      bridge.delete(a.providerId());
    } catch (NodeClaimNotFoundException alreadyGone) {
      // the first attempt's release went through and CAPI removed the Machine
    }
    assertThat(faults.injected(TIMEOUT)).isEqualTo(1);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    awaitOnlyMachine(b);
  }

  // ------------------------------------------------------------------ helpers

  /** A create under a fault, then retried as the core retries it (same NodeClaim). */
  private Instance createUnderFault(String name) {
    try {
      return bridge.create(claim(name, "md"));
    } catch (InsufficientCapacityException e) {
      throw new AssertionError("an API fault read as insufficient capacity: " + e.getMessage(), e);
    } catch (RuntimeException surfaced) {
      return retrying(bridge, claim(name, "md"));
    }
  }

  private static void assertSurfaced(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(RuntimeException.class)
        .isNotInstanceOf(NodeClaimNotFoundException.class)
        .isNotInstanceOf(InsufficientCapacityException.class);
  }

  private void assertOneMachineFor(String nodeClaim, Instance instance) {
    assertThat(claimedMachines())
        .as("Machines claimed for %s", nodeClaim)
        .filteredOn(m -> nodeClaim.equals(Machines.claim(m)))
        .extracting(Machines::providerId)
        .containsExactly(instance.providerId());
    assertThat(ReplicaIntents.of(cluster.get(Capi.MACHINE_DEPLOYMENT, "md")).pending())
        .as("open reservations")
        .isEmpty();
  }

  /** CAPI ends with exactly the one Machine of {@code survivor}: nothing extra, nothing lost. */
  private void awaitOnlyMachine(Instance survivor) throws Exception {
    await(
        Duration.ofSeconds(10),
        () -> cluster.machines().size() == 1,
        "one Machine left, got " + names());
    GenericKubernetesResource m = cluster.machines().get(0);
    assertThat(Machines.providerId(m)).isEqualTo(survivor.providerId());
  }

  private String names() {
    return cluster.machines().stream().map(m -> m.getMetadata().getName()).toList().toString();
  }
}
