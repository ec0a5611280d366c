package dev.dovetail.demo;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.controllers.nodeclaim.disruption.NodeClaimDisruptionController;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Consolidation driven pass by pass on a manual clock, for end-to-end runs whose operator polls
 * disruption rarely (the e2e tests of the core and of the plugins). Each round waits until the
 * cluster has settled, moves the clock on, runs the nodeclaim/disruption controller (it writes the
 * Consolidatable condition disruption reads), waits until the operator's cache holds what it wrote,
 * and runs one disruption pass; it ends after three rounds in a row in which disruption did
 * nothing, or after sixty.
 */
public final class ClockedConsolidation {
  private static final int MAX_ROUNDS = 60;
  private static final int QUIET_ROUNDS = 3;
  private static final Duration STEP = Duration.ofSeconds(20);

  private ClockedConsolidation() {}

  /**
   * Runs rounds until disruption is quiet.
   *
   * @param settled when a round may start (every pod bound, every NodeClaim initialized, ...)
   * @param settleWithin how long a round waits for {@code settled}
   */
  public static void runUntilQuiet(
      KubernetesClient client,
      DovetailOperator dovetail,
      MutableClock clock,
      BooleanSupplier settled,
      Duration settleWithin)
      throws InterruptedException {
    NodeClaimDisruptionController conditions =
        new NodeClaimDisruptionController(
            client,
            dovetail.state(),
            dovetail.cloud(),
            clock,
            NodeClaimDisruptionController.Options.DEFAULT);
    int quiet = 0;
    for (int round = 0; round < MAX_ROUNDS && quiet < QUIET_ROUNDS; round++) {
      Eventually.await(settleWithin, settled, "settling");
      clock.advance(STEP);
      conditions.reconcileOnce();
      Eventually.await(
          Duration.ofSeconds(10),
          () -> cacheHoldsNodeClaimsOf(client, dovetail.state()),
          "conditions in cache");
      boolean acted =
          dovetail.disruption().reconcileOnce().isPresent() || dovetail.disruption().busy();
      quiet = acted ? 0 : quiet + 1;
      Thread.sleep(200);
    }
  }

  /**
   * Whether the operator's cache holds every NodeClaim the API holds at the API's resourceVersion
   * (and so the conditions just written); one the cache has not seen at all does not count.
   */
  static boolean cacheHoldsNodeClaimsOf(KubernetesClient client, ClusterState state) {
    for (NodeClaim c : client.resources(NodeClaim.class).list().getItems()) {
      var cached = state.nodeClaim(c.getMetadata().getName());
      if (cached.isPresent()
          && !cached
              .get()
              .getMetadata()
              .getResourceVersion()
              .equals(c.getMetadata().getResourceVersion())) {
        return false;
      }
    }
    return true;
  }
}
