package dev.dovetail.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.testkit.FaultInjectingCloudProvider.Fault;
import dev.dovetail.demo.Workload;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * One fault kind at a time on a small cluster (the embedded API server, the simulated cloud behind
 * the fault decorator, the real controllers): with its handling the cluster settles with every
 * invariant holding; with that handling turned off (through {@link ChaosCluster.Options}) the
 * invariant checker catches the fault, so each test fails if its handling breaks.
 */
class FaultKindsMockTest {
  private static final Duration SETTLE = Duration.ofSeconds(90);
  private static final Duration UNHANDLED = Duration.ofSeconds(12);
  private static final int PODS = 4;
  private static final long SEED = 5;

  private static ChaosCluster cluster(ChaosCluster.Options options) {
    return new ChaosCluster(
        new SimulatedCloud(),
        SEED,
        options,
        Map.of(
            "catalog", "aws", "launchLatency", "200ms", "startupTaintDelay", "100ms", "seed", "5"));
  }

  private static ChaosCluster settled(ChaosCluster.Options options) throws InterruptedException {
    ChaosCluster c = cluster(options).run(Workload.pods(PODS, SEED));
    assertThat(c.settle(SETTLE)).as("settles before any fault: %s", c.invariants()).isTrue();
    return c;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static Instance anyInstance(ChaosCluster c) {
    return c.cloud().listQuietly().stream()
        .sorted(java.util.Comparator.comparing(Instance::providerId))
        .findFirst()
        .orElseThrow();
  }

  private static boolean exists(ChaosCluster c, String providerId) {
    return c.cloud().listQuietly().stream().anyMatch(i -> providerId.equals(i.providerId()));
  }

  // ------------------------------------------------------------------ launches that never register

  private static ChaosInvariants neverRegister(ChaosCluster c, boolean handled)
      throws InterruptedException {
    c.cloud().neverRegisterRate(1.0);
    c.run(Workload.pods(PODS, SEED));
    await("a launch made never to register", () -> c.cloud().injected(Fault.NEVER_REGISTER) > 0);
    c.cloud().neverRegisterRate(0);
    String lost = c.cloud().neverRegistered().iterator().next();
    boolean settled = c.settle(handled ? SETTLE : UNHANDLED);
    assertThat(settled).as("settled: %s", c.invariants()).isEqualTo(handled);
    assertThat(exists(c, lost))
        .as("the never-registered instance %s exists", lost)
        .isNotEqualTo(handled);
    return c.invariants();
  }

  @Test
  void registrationTtlDeletesALaunchWhoseNodeNeverJoins() throws Exception {
    try (ChaosCluster c =
        cluster(ChaosCluster.Options.CHAOS.withRegistrationTtl(Duration.ofSeconds(3)))) {
      assertThat(neverRegister(c, true).settled()).isTrue();
    }
  }

  @Test
  void withoutTheRegistrationTtlTheClaimIsCaughtStuck() throws Exception {
    try (ChaosCluster c =
        cluster(ChaosCluster.Options.CHAOS.withRegistrationTtl(Duration.ofHours(1)))) {
      assertThat(neverRegister(c, false).stuckNodeClaims()).isPositive();
    }
  }

  // ------------------------------------------------------------------ instances that vanish
  // silently

  /**
   * A host failure: the instance is gone, its Node stays and the node lifecycle controller marks it
   * NotReady once the kubelet stops. NodeRepair is off so only garbage collection may notice.
   */
  private static ChaosInvariants vanish(ChaosCluster.Options options, boolean handled)
      throws InterruptedException {
    try (ChaosCluster c = settled(options.withNodeRepair(false))) {
      NodeClaim claim = c.operator().state().nodeClaims().iterator().next();
      String name = claim.getMetadata().getName();
      assertThat(c.cloud().vanish(claim.getStatus().getProviderID(), true)).isTrue();
      assertThat(c.notReady(claim.getStatus().getNodeName())).isTrue();
      boolean settled = c.settle(handled ? SETTLE : UNHANDLED);
      assertThat(settled).as("settled: %s", c.invariants()).isEqualTo(handled);
      assertThat(c.client().resources(NodeClaim.class).withName(name).get() == null)
          .as("NodeClaim %s of the vanished instance deleted", name)
          .isEqualTo(handled);
      return c.invariants();
    }
  }

  @Test
  void garbageCollectionNoticesAnInstanceThatVanishedWithoutAnEvent() throws Exception {
    assertThat(vanish(ChaosCluster.Options.CHAOS, true).settled()).isTrue();
  }

  @Test
  void withoutGarbageCollectionTheClaimOfAVanishedInstanceIsCaughtStuck() throws Exception {
    assertThat(
            vanish(ChaosCluster.Options.CHAOS.withGcInterval(Duration.ofHours(1)), false)
                .stuckNodeClaims())
        .isPositive();
  }

  @Test
  void anInstanceVanishingWithItsNodeIsTerminatedThroughTheNode() throws Exception {
    // the simulated cloud removes the Node with the instance (as a cloud controller manager does):
    // node termination deletes the NodeClaim even with garbage collection and repair off
    try (ChaosCluster c =
        settled(
            ChaosCluster.Options.CHAOS.withGcInterval(Duration.ofHours(1)).withNodeRepair(false))) {
      Instance victim = anyInstance(c);
      assertThat(c.cloud().vanish(victim.providerId())).isTrue();
      assertThat(c.settle(SETTLE)).as("settled: %s", c.invariants()).isTrue();
      assertThat(c.client().resources(NodeClaim.class).withName(victim.nodeClaim()).get()).isNull();
    }
  }

  // ------------------------------------------------------------------ nodes going NotReady

  private static ChaosInvariants notReady(ChaosCluster.Options options, boolean handled)
      throws InterruptedException {
    try (ChaosCluster c = settled(options)) {
      NodeClaim claim = c.operator().state().nodeClaims().iterator().next();
      String node = claim.getStatus().getNodeName();
      assertThat(c.notReady(node)).isTrue();
      boolean settled = c.settle(handled ? SETTLE : UNHANDLED);
      assertThat(settled).as("settled: %s", c.invariants()).isEqualTo(handled);
      assertThat(
              c.client().resources(NodeClaim.class).withName(claim.getMetadata().getName()).get()
                  == null)
          .as("NodeClaim %s of the NotReady node replaced", claim.getMetadata().getName())
          .isEqualTo(handled);
      return c.invariants();
    }
  }

  @Test
  void nodeRepairReplacesANodeThatWentNotReady() throws Exception {
    assertThat(notReady(ChaosCluster.Options.CHAOS, true).settled()).isTrue();
  }

  @Test
  void withoutNodeRepairTheNotReadyNodeIsCaught() throws Exception {
    assertThat(notReady(ChaosCluster.Options.CHAOS.withNodeRepair(false), false).stuckNodeClaims())
        .isPositive();
  }

  // ------------------------------------------------------------------ spot interruption (warning)

  @Test
  void anInterruptionWarningIsActedOnBeforeTheCloudReclaimsTheInstance() throws Exception {
    try (ChaosCluster c = settled(ChaosCluster.Options.CHAOS)) {
      Instance victim = anyInstance(c);
      assertThat(c.cloud().interrupt(victim.providerId(), Duration.ofSeconds(20))).isTrue();
      await(
          "the interrupted instance gone",
          () -> c.cloud().interruptionsHandledByCore() + c.cloud().interruptionsReclaimed() > 0);
      assertThat(c.cloud().interruptionsHandledByCore())
          .as("instances the core replaced before the reclaim")
          .isEqualTo(1);
      assertThat(c.settle(SETTLE)).as("settled: %s", c.invariants()).isTrue();
    }
  }

  @Test
  void withTheWarningLostTheCloudReclaimsTheInstanceUnderItsPods() throws Exception {
    try (ChaosCluster c = settled(ChaosCluster.Options.CHAOS)) {
      c.cloud().dropInterruptions(true);
      Instance victim = anyInstance(c);
      assertThat(c.cloud().interrupt(victim.providerId(), Duration.ofSeconds(3))).isTrue();
      await(
          "the interrupted instance gone",
          () -> c.cloud().interruptionsHandledByCore() + c.cloud().interruptionsReclaimed() > 0);
      assertThat(c.cloud().interruptionsReclaimed()).isEqualTo(1);
      // garbage collection is the safety net: the run still settles
      assertThat(c.settle(SETTLE)).as("settled: %s", c.invariants()).isTrue();
    }
  }

  // ------------------------------------------------------------------ cloud call timeouts

  @Test
  void aCreateThatTimesOutAfterLaunchingIsRetriedOntoTheSameInstance() throws Exception {
    try (ChaosCluster c = cluster(ChaosCluster.Options.CHAOS)) {
      c.cloud().timeoutRate(1.0, Duration.ofMillis(300));
      c.run(Workload.pods(PODS, SEED));
      await("a timed-out call", () -> c.cloud().injected(Fault.TIMEOUT) > 0);
      c.cloud().timeoutRate(0, Duration.ZERO);
      assertThat(c.settle(SETTLE)).as("settled: %s", c.invariants()).isTrue();
      assertThat(c.invariants().duplicateInstances()).isZero();
    }
  }

  private static ChaosInvariants orphanedByTimeout(ChaosCluster.Options options, boolean handled)
      throws InterruptedException {
    // a launch timeout of zero gives up on a NodeClaim at its first failed create, so the instance
    // the timed-out create launched is left without a NodeClaim: garbage collection's case
    try (ChaosCluster c = cluster(options.withLaunchTimeout(Duration.ZERO))) {
      c.cloud().timeoutRate(1.0, Duration.ofMillis(300));
      c.run(Workload.pods(PODS, SEED));
      await("a timed-out call", () -> c.cloud().injected(Fault.TIMEOUT) > 0);
      c.cloud().timeoutRate(0, Duration.ZERO);
      boolean settled = c.settle(handled ? SETTLE : UNHANDLED);
      assertThat(settled).as("settled: %s", c.invariants()).isEqualTo(handled);
      return c.invariants();
    }
  }

  @Test
  void garbageCollectionTerminatesAnInstanceWhoseCreateTimedOutAndWasAbandoned() throws Exception {
    assertThat(orphanedByTimeout(ChaosCluster.Options.CHAOS, true).settled()).isTrue();
  }

  @Test
  void withoutGarbageCollectionTheAbandonedInstanceIsCaughtLeaked() throws Exception {
    assertThat(
            orphanedByTimeout(ChaosCluster.Options.CHAOS.withGcInterval(Duration.ofHours(1)), false)
                .leakedInstances())
        .isPositive();
  }

  // ------------------------------------------------------------------ failed deletes

  @Test
  void aFailingDeleteKeepsTheNodeClaimUntilTheInstanceIsGone() throws Exception {
    try (ChaosCluster c = settled(ChaosCluster.Options.CHAOS)) {
      Instance victim = anyInstance(c);
      c.cloud().errorRate(1.0);
      c.client().resources(NodeClaim.class).withName(victim.nodeClaim()).delete();
      long failedBefore = c.cloud().injected(Fault.CALL_ERROR);
      await("a failed delete", () -> c.cloud().injected(Fault.CALL_ERROR) > failedBefore + 1);
      // the finalizer holds the NodeClaim while its instance cannot be deleted: nothing leaks
      NodeClaim held = c.client().resources(NodeClaim.class).withName(victim.nodeClaim()).get();
      assertThat(held).as("NodeClaim %s while its delete fails", victim.nodeClaim()).isNotNull();
      assertThat(exists(c, victim.providerId())).isTrue();
      assertThat(c.invariants().leakedInstances()).isZero();
      c.cloud().errorRate(0);
      assertThat(c.settle(SETTLE)).as("settled: %s", c.invariants()).isTrue();
      assertThat(exists(c, victim.providerId())).isFalse();
      List<String> claims =
          c.operator().state().nodeClaims().stream().map(n -> n.getMetadata().getName()).toList();
      assertThat(claims).doesNotContain(victim.nodeClaim());
    }
  }
}
