package dev.dovetail.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.Harness;
import dev.dovetail.controllers.nodeclaim.lifecycle.NodeClaimLifecycleReconciler.LifecycleListener;
import dev.dovetail.controllers.provisioning.Provisioner.ProvisioningListener;
import dev.dovetail.kube.EmbeddedApiServer;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import dev.dovetail.scheduling.NewNodeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two replicas on one API: only the Lease holder acts; the standby takes over when it stops. */
class LeaderElectionMockTest {
  private static final LeaderElection.Timing FAST =
      new LeaderElection.Timing(
          // Generous renewal so a busy build machine does not lose the Lease mid-test; handover
          // is still quick because a stopping leader releases the Lease.
          Duration.ofSeconds(6), Duration.ofSeconds(5), Duration.ofMillis(200));
  private final EmbeddedApiServer api = EmbeddedApiServer.start();
  private final Replica a = new Replica("a");
  private final Replica b = new Replica("b");

  /** One controller process: its own client, cloud and operator, elected through the Lease. */
  private final class Replica {
    final KubernetesClient client = api.client();
    final AtomicInteger created = new AtomicInteger();
    final CountDownLatch stop = new CountDownLatch(1);
    final DovetailOperator operator;
    final Thread thread;

    Replica(String id) {
      operator =
          new DovetailOperator(
                  client,
                  new SimulatedCloud(),
                  Clock.systemUTC(),
                  Harness.settings(),
                  Harness.simulated(),
                  new DovetailOperator.Listeners(
                      new ProvisioningListener() {
                        @Override
                        public void nodeClaimCreated(NodeClaim claim, NewNodeClaim plan) {
                          created.incrementAndGet();
                        }
                      },
                      LifecycleListener.NONE,
                      e -> {}))
              // fabric8's mock server has no server-side apply
              .withNodeClaimStatusWriter(
                  dev.dovetail.controllers.nodeclaim.lifecycle.StatusWriter.replace(client));
      thread =
          new Thread(
              () -> {
                try {
                  LeaderElection.run(
                      client, "default", "dovetail-test", id, FAST, operator, null, stop);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "replica-" + id);
    }

    boolean leading() {
      return operator.state() != null;
    }

    void close() throws InterruptedException {
      stop.countDown();
      thread.join(10_000);
      operator.close();
      client.close();
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    a.close();
    b.close();
    api.close();
  }

  @Test
  void onlyTheLeaderActsAndTheStandbyTakesOverWhenItStops() throws Exception {
    KubernetesClient client = api.client();
    Harness.createNodeClass(client);
    client.resource(Harness.nodePool("default", List.of())).create();
    a.thread.start();
    b.thread.start();
    Eventually.await(
        Duration.ofSeconds(20), () -> a.leading() || b.leading(), () -> "nobody leads");
    Replica leader = a.leading() ? a : b;
    Replica standby = leader == a ? b : a;

    client.resource(Harness.pendingPod("p1", "500m", "512Mi")).create();
    // The counter moves just after the NodeClaim is stored: wait for both to agree.
    Eventually.await(
        Duration.ofSeconds(20),
        () ->
            leader.created.get() > 0
                && leader.created.get()
                    == client.resources(NodeClaim.class).list().getItems().size(),
        () ->
            "leader created "
                + leader.created.get()
                + ", NodeClaims "
                + client.resources(NodeClaim.class).list().getItems().size());
    assertThat(standby.leading()).isFalse();
    assertThat(standby.created.get()).isZero();

    // The leader stops (releasing the Lease); the standby becomes leader and acts.
    leader.stop.countDown();
    leader.thread.join(10_000);
    leader.operator.close();
    int before = leader.created.get();
    Eventually.await(Duration.ofSeconds(20), standby::leading, () -> "standby did not take over");
    client.resource(Harness.pendingPod("p2", "500m", "512Mi")).create();
    Eventually.await(
        Duration.ofSeconds(30),
        () -> standby.created.get() > 0,
        () -> "the new leader created no NodeClaim");
    assertThat(leader.created.get()).isEqualTo(before);
    client.close();
  }
}
