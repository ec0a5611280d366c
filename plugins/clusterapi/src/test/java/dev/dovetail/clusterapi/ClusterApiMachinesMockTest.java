package dev.dovetail.clusterapi;

import static dev.dovetail.cloudprovider.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.capi.Machines;
import dev.dovetail.clusterapi.capi.ReplicaIntents;
import dev.dovetail.clusterapi.machine.MachinePendingException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Machines: create, delete, concurrency, min/max, clean-up, taints and drift, with the fake CAPI
 * controller.
 */
class ClusterApiMachinesMockTest extends BridgeMockTestBase {
  // ------------------------------------------------------------------ create / delete

  @Test
  void scaleUpClaimsANewMachineAndReturnsItOnceItHasAProviderId() {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    Instance i = p.create(claim("nc-1", "md"));
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    GenericKubernetesResource m = claimedMachines().get(0);
    assertThat(i.providerId()).isEqualTo(Machines.providerId(m));
    assertThat(i.nodeClaim()).isEqualTo("nc-1");
    assertThat(i.nodePool()).isEqualTo("default");
    assertThat(i.instanceType()).isEqualTo("md");
    assertThat(i.zone()).isEqualTo("zone-a");
    assertThat(i.labels()).containsEntry(Capi.MACHINE_LABEL, m.getMetadata().getName());
    assertThat(Fields.annotations(m)).containsEntry(Capi.NODECLAIM_ANNOTATION, "nc-1");
    assertThat(Fields.labels(m)).containsEntry(Capi.NODECLAIM_LABEL, "nc-1");
    // the reservation is settled
    assertThat(ReplicaIntents.of(cluster.get(Capi.MACHINE_DEPLOYMENT, "md")).pending()).isEmpty();
    assertThat(p.get(i.providerId()).nodeClaim()).isEqualTo("nc-1");
    assertThat(p.list()).extracting(Instance::providerId).containsExactly(i.providerId());
  }

  @Test
  void nodePoolLabelsTheTypeDoesNotDefineDoNotBlockTheLaunchButConflictsDo() {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    NodeClaimView base = claim("nc-1", "md");
    NodeClaimView withPoolLabel =
        base.withRequirements(base.requirements().and(Requirement.in("team", "payments")));
    assertThat(p.create(withPoolLabel).instanceType()).isEqualTo("md");
    NodeClaimView otherZone =
        claim("nc-2", "md")
            .withRequirements(
                base.requirements().and(Requirement.in(WellKnownLabels.ZONE, "zone-z")));
    assertThatThrownBy(() -> p.create(otherZone))
        .isInstanceOf(dev.dovetail.cloudprovider.CreateException.class)
        .hasMessageContaining("no selected scalable resource");
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  @Test
  void aFreeMachineIsClaimedWithoutScaling() throws Exception {
    cluster.machineDeployment("md", 1, Map.of());
    await(Duration.ofSeconds(10), () -> cluster.machines().size() == 1, "the existing Machine");
    provider().create(claim("nc-1", "md"));
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    assertThat(capi.created()).isEqualTo(1);
  }

  @Test
  void scaleDownMarksTheMachineAndLowersReplicas() throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    Instance a = p.create(claim("nc-a", "md"));
    Instance b = p.create(claim("nc-b", "md"));
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(2);
    p.delete(a.providerId());
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    await(Duration.ofSeconds(10), () -> cluster.machines().size() == 1, "Machine removal");
    // CAPI removed the annotated Machine, not the other one
    assertThat(Machines.providerId(cluster.machines().get(0))).isEqualTo(b.providerId());
    assertThatThrownBy(() -> p.delete(a.providerId()))
        .isInstanceOf(NodeClaimNotFoundException.class);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  @Test
  void aRepeatedDeleteWhileCapiIsSlowShrinksOnlyOnce() {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider(Map.of());
    Instance a = p.create(claim("nc-a", "md"));
    capi.close(); // CAPI stops acting: the Machine stays
    ClusterApiCloudProvider quick = provider(Map.of("machineWait", "100ms"));
    quick.delete(a.providerId());
    quick.delete(a.providerId());
    quick.delete(a.providerId());
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(0);
    assertThat(Fields.annotations(claimedMachines().get(0)))
        .containsKey(Capi.DELETE_MACHINE_ANNOTATION);
    assertThat(quick.get(a.providerId()).state()).isEqualTo("terminating");
  }

  @Test
  void twoConcurrentBatchesOnOneMachineDeploymentGetDistinctMachines() throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider first = provider();
    ClusterApiCloudProvider second = provider(); // another replica of the controller
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Instance>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String a = "batch1-" + i;
        String b = "batch2-" + i;
        futures.add(pool.submit((Callable<Instance>) () -> retrying(first, claim(a, "md"))));
        futures.add(pool.submit((Callable<Instance>) () -> retrying(second, claim(b, "md"))));
      }
      Set<String> ids = new java.util.HashSet<>();
      for (Future<Instance> f : futures) {
        ids.add(f.get().providerId());
      }
      assertThat(ids).hasSize(8);
    } finally {
      pool.shutdownNow();
    }
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(8);
    assertThat(cluster.machines()).hasSize(8);
    assertThat(claimedMachines()).extracting(Machines::claim).doesNotHaveDuplicates().hasSize(8);
  }

  @Test
  void maxSizeIsRespected() {
    cluster.machineDeployment("md", 0, Map.of(Capi.MAX_SIZE_ANNOTATION, "1"));
    ClusterApiCloudProvider p = provider();
    p.create(claim("nc-1", "md"));
    assertThatThrownBy(() -> p.create(claim("nc-2", "md")))
        .isInstanceOf(InsufficientCapacityException.class)
        .satisfies(
            e ->
                assertThat(((InsufficientCapacityException) e).offerings())
                    .extracting(k -> k.instanceType())
                    .containsExactly("md"));
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  @Test
  void aFullResourceFallsThroughToTheNextOption() {
    cluster.machineDeployment(
        "cheap", 1, Map.of(Capi.MAX_SIZE_ANNOTATION, "1", Capi.PRICE_ANNOTATION, "0.1"));
    cluster.machineDeployment("dear", 0, Map.of(Capi.PRICE_ANNOTATION, "0.9"));
    ClusterApiCloudProvider p = provider();
    // "cheap" already has its one Machine free: the first claim takes it without scaling
    assertThat(p.create(claim("nc-1", "cheap", "dear")).instanceType()).isEqualTo("cheap");
    assertThat(p.create(claim("nc-2", "cheap", "dear")).instanceType()).isEqualTo("dear");
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "cheap")).isEqualTo(1);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "dear")).isEqualTo(1);
  }

  @Test
  void minSizeIsRespectedOnDelete() throws Exception {
    cluster.machineDeployment("md", 0, Map.of(Capi.MIN_SIZE_ANNOTATION, "1"));
    ClusterApiCloudProvider p = provider();
    Instance a = p.create(claim("nc-a", "md"));
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    p.delete(a.providerId());
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    // the Machine itself went; CAPI keeps the minimum with a fresh, unclaimed one
    await(
        Duration.ofSeconds(10),
        () -> cluster.machines().size() == 1 && claimedMachines().isEmpty(),
        "replacement");
    assertThatThrownBy(() -> p.get(a.providerId())).isInstanceOf(NodeClaimNotFoundException.class);
  }

  @Test
  void createIsIdempotentByClaimName() {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    Instance first = p.create(claim("nc-1", "md"));
    Instance again = p.create(claim("nc-1", "md"));
    assertThat(again.providerId()).isEqualTo(first.providerId());
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  @Test
  void aRestartBetweenTheReplicaBumpAndTheClaimDoesNotScaleTwice() throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    capi.assignProviderIds(false);
    capi.close(); // CAPI is slow: no Machine appears before the first process dies
    ClusterApiCloudProvider crashed = provider(Map.of("machineWait", "200ms"));
    assertThatThrownBy(() -> crashed.create(claim("nc-1", "md")))
        .isInstanceOf(MachinePendingException.class);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    crashed.close();
    // a new process (new provider, no memory) retries the same NodeClaim once CAPI caught up
    capi = new FakeCapiController(cluster.api).start();
    Instance i = provider().create(claim("nc-1", "md"));
    assertThat(i.nodeClaim()).isEqualTo("nc-1");
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    assertThat(cluster.machines()).hasSize(1);
  }

  @Test
  void aMachineWithoutProviderIdIsReturnedOnRetryNotReplaced() {
    cluster.machineDeployment("md", 0, Map.of());
    capi.assignProviderIds(false);
    ClusterApiCloudProvider p = provider(Map.of("machineWait", "1s"));
    assertThatThrownBy(() -> p.create(claim("nc-1", "md")))
        .isInstanceOf(MachinePendingException.class)
        .hasMessageContaining("no providerID");
    capi.assignProviderIds(true);
    Instance i = retrying(p, claim("nc-1", "md"));
    assertThat(i.providerId()).startsWith("capi-test:///");
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  @Test
  void aMachineThatNeverGetsAProviderIdIsCleanedUpAfterTheRegistrationTtl() throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    capi.assignProviderIds(false);
    ClusterApiCloudProvider p = provider(Map.of("machineWait", "1s", "registrationTtl", "15m"));
    assertThatThrownBy(() -> p.create(claim("nc-1", "md")))
        .isInstanceOf(MachinePendingException.class);
    assertThat(claimedMachines()).hasSize(1);
    assertThat(p.sweep().releasedMachines()).isEmpty(); // not yet
    clock.advance(Duration.ofMinutes(16));
    assertThat(p.sweep().releasedMachines()).hasSize(1);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(0);
    await(Duration.ofSeconds(10), () -> cluster.machines().isEmpty(), "the stuck Machine removed");
    p.sweep();
    assertThat(ReplicaIntents.of(cluster.get(Capi.MACHINE_DEPLOYMENT, "md")).released()).isEmpty();
  }

  @Test
  void aReservationThatNeverClaimedIsDroppedAndItsReplicaGivenBack() {
    cluster.machineDeployment("md", 0, Map.of());
    capi.close(); // no Machine ever appears
    ClusterApiCloudProvider p = provider(Map.of("machineWait", "100ms"));
    assertThatThrownBy(() -> p.create(claim("nc-1", "md")))
        .isInstanceOf(MachinePendingException.class);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    clock.advance(Duration.ofMinutes(16));
    assertThat(p.sweep().droppedReservations()).containsExactly("nc-1");
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(0);
    assertThat(ReplicaIntents.of(cluster.get(Capi.MACHINE_DEPLOYMENT, "md")))
        .isEqualTo(ReplicaIntents.EMPTY);
  }

  @Test
  void annotatedTaintsAreAppliedToTheNode() {
    cluster.machineDeployment("md", 0, Map.of(Capi.TAINTS_ANNOTATION, "dedicated=gpu:NoSchedule"));
    ClusterApiCloudProvider p = provider();
    Instance i = p.create(claim("nc-1", "md"));
    String nodeName = i.labels().get(Capi.MACHINE_LABEL);
    nodes.put(
        nodeName,
        new NodeBuilder()
            .withNewMetadata()
            .withName(nodeName)
            .endMetadata()
            .withNewSpec()
            .withProviderID(i.providerId())
            .endSpec()
            .build());
    assertThat(p.sweep().tainted()).isEqualTo(1);
    assertThat(nodes.get(nodeName).getSpec().getTaints())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("dedicated");
              assertThat(t.getValue()).isEqualTo("gpu");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
    assertThat(p.sweep().tainted()).isZero(); // already there
  }

  // ------------------------------------------------------------------ drift

  @Test
  void driftIsDetectedWhenTheTemplateChanges() {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    Instance i = p.create(claim("nc-1", "md"));
    NodeClaimView launched = withProviderId(claim("nc-1", "md"), i.providerId());
    assertThat(p.isDrifted(launched)).isEmpty();
    cluster.edit(
        Capi.MACHINE_DEPLOYMENT,
        "md",
        o -> Fields.set(o, "spec.template.spec.infrastructureRef.name", "md-infra-v2"));
    assertThat(p.isDrifted(launched))
        .hasValueSatisfying(r -> assertThat(r).contains("md-infra-v2"));
  }

  @Test
  void driftIsDetectedWhenTheBootstrapTemplateOrVersionChanges() {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    Instance i = p.create(claim("nc-1", "md"));
    NodeClaimView launched = withProviderId(claim("nc-1", "md"), i.providerId());
    cluster.edit(
        Capi.MACHINE_DEPLOYMENT, "md", o -> Fields.set(o, "spec.template.spec.version", "v1.32.0"));
    assertThat(p.isDrifted(launched)).hasValueSatisfying(r -> assertThat(r).contains("v1.32.0"));
    cluster.edit(
        Capi.MACHINE_DEPLOYMENT,
        "md",
        o -> {
          Fields.set(o, "spec.template.spec.version", "v1.31.0");
          Fields.set(o, "spec.template.spec.bootstrap.configRef.name", "md-bootstrap-v2");
        });
    assertThat(p.isDrifted(launched))
        .hasValueSatisfying(r -> assertThat(r).contains("md-bootstrap-v2"));
  }

  @Test
  void aDriftedMachineIsReplacedByAFreshOne() throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    ClusterApiCloudProvider p = provider();
    Instance old = p.create(claim("nc-old", "md"));
    cluster.edit(
        Capi.MACHINE_DEPLOYMENT,
        "md",
        o -> Fields.set(o, "spec.template.spec.infrastructureRef.name", "md-infra-v2"));
    assertThat(p.isDrifted(withProviderId(claim("nc-old", "md"), old.providerId()))).isPresent();
    // the core launches the replacement, then deletes the drifted claim
    Instance fresh = p.create(claim("nc-new", "md"));
    assertThat(p.isDrifted(withProviderId(claim("nc-new", "md"), fresh.providerId()))).isEmpty();
    p.delete(old.providerId());
    await(Duration.ofSeconds(10), () -> cluster.machines().size() == 1, "old Machine removed");
    assertThat(Machines.providerId(cluster.machines().get(0))).isEqualTo(fresh.providerId());
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }
}
