package dev.dovetail.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Budget;
import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.controllers.disruption.model.Command;
import dev.dovetail.controllers.disruption.model.Method;
import dev.dovetail.kube.Conditions;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The disruption controller against the embedded API server with a cluster written by hand and a
 * clock the test moves: which NodeClaims are deleted, which remain, what is launched.
 */
class DisruptionControllerMockTest {
  private static final Duration VALIDATION = Duration.ofSeconds(15);
  private final FakeCluster c = new FakeCluster();

  @AfterEach
  void close() {
    c.close();
  }

  private Optional<Command> pass(DisruptionController d) {
    c.sync();
    c.markConditions();
    return d.reconcileOnce();
  }

  @Test
  void emptyNodeIsDeletedOnlyAfterValidation() {
    c.pool("100%", "on-demand");
    String empty = c.node("m5.xlarge", "on-demand");
    String busy = c.node("m5.xlarge", "on-demand");
    c.pod(busy, "3");
    DisruptionController d = c.controller(VALIDATION);
    assertThat(pass(d)).isEmpty();
    assertThat(d.pending()).map(Command::method).contains(Method.EMPTINESS);
    assertThat(c.claimExists(empty)).isTrue();
    c.clock.advance(VALIDATION);
    Command cmd = pass(d).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.EMPTINESS);
    assertThat(c.claimExists(empty)).isFalse();
    assertThat(c.claimExists(busy)).isTrue();
    assertThat(c.eventReasons()).anyMatch(e -> e.startsWith("DisruptionTerminating"));
    // every deletion says why and who
    assertThat(c.eventReasons())
        .anyMatch(e -> e.startsWith("Deleting: Deleting NodeClaim: Empty (by disruption)"));
    assertThat(c.eventReasons())
        .anyMatch(
            e -> e.startsWith("DisruptionDecision") && e.contains("emptiness") && e.contains("$"));
  }

  @Test
  void aDecisionTheClusterInvalidatedIsDropped() {
    c.pool("100%", "on-demand");
    String empty = c.node("m5.xlarge", "on-demand");
    String busy = c.node("m5.xlarge", "on-demand");
    c.pod(busy, "3");
    DisruptionController d = c.controller(VALIDATION);
    pass(d);
    assertThat(d.pending()).isPresent();
    c.pod(empty, "3"); // a pod lands on it while the decision waits
    c.clock.advance(VALIDATION);
    assertThat(pass(d)).isEmpty();
    assertThat(c.claimExists(empty)).isTrue();
  }

  @Test
  void consolidateAfterIsHonoured() {
    NodePool pool = c.pool("100%", "on-demand");
    pool.getSpec().getDisruption().setConsolidateAfter("2h");
    c.client.resource(pool).update();
    c.await(
        () ->
            "2h".equals(c.state.nodePools().get(0).getSpec().getDisruption().getConsolidateAfter()),
        "pool update");
    String empty = c.node("m5.xlarge", "on-demand"); // initialized 1h ago
    DisruptionController d = c.controller(Duration.ZERO);
    assertThat(pass(d)).isEmpty();
    assertThat(c.claimExists(empty)).isTrue();
    c.clock.advance(Duration.ofHours(1));
    assertThat(pass(d)).isPresent();
    assertThat(c.claimExists(empty)).isFalse();
  }

  @Test
  void safetyRulesKeepNodesWhosePodsMustNotMove() {
    c.pool("100%", "on-demand");
    String big = c.node("m5.4xlarge", "on-demand"); // room for every small pod
    c.pod(big, "1");
    String dnd = c.node("m5.xlarge", "on-demand");
    c.pod(dnd, "500m", true, Map.of(Karpenter.DO_NOT_DISRUPT_ANNOTATION, "true"));
    String pdb = c.node("m5.xlarge", "on-demand");
    c.client
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName("guard")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withMinAvailable(new IntOrString(1))
                .withNewSelector()
                .addToMatchLabels("guarded", "yes")
                .endSelector()
                .endSpec()
                .withNewStatus()
                .withDisruptionsAllowed(0)
                .withCurrentHealthy(1)
                .withDesiredHealthy(1)
                .withExpectedPods(1)
                .endStatus()
                .build())
        .create();
    var guarded = c.pod(pdb, "500m");
    c.client
        .pods()
        .inNamespace("default")
        .withName(guarded.getMetadata().getName())
        .edit(
            p -> {
              p.getMetadata().getLabels().put("guarded", "yes");
              return p;
            });
    c.await(
        () ->
            c.state.podsOn(pdb).stream()
                .anyMatch(p -> "yes".equals(p.getMetadata().getLabels().get("guarded"))),
        "label");
    String bare = c.node("m5.xlarge", "on-demand");
    c.pod(bare, "500m", false, Map.of());
    String nodeDnd = c.node("m5.xlarge", "on-demand");
    c.pod(nodeDnd, "500m");
    c.client
        .resources(NodeClaim.class)
        .withName("claim-" + nodeDnd)
        .edit(
            nc -> {
              nc.getMetadata()
                  .setAnnotations(new java.util.HashMap<>(nc.getMetadata().getAnnotations()));
              nc.getMetadata().getAnnotations().put(Karpenter.DO_NOT_DISRUPT_ANNOTATION, "true");
              return nc;
            });
    c.await(
        () ->
            "true"
                .equals(
                    c.state
                        .nodeClaim("claim-" + nodeDnd)
                        .get()
                        .getMetadata()
                        .getAnnotations()
                        .get(Karpenter.DO_NOT_DISRUPT_ANNOTATION)),
        "annotation");

    DisruptionController d = c.controller(Duration.ZERO);
    for (int i = 0; i < 4; i++) {
      Optional<Command> cmd = pass(d);
      cmd.ifPresent(
          x -> {
            assertThat(x.candidates())
                .extracting(cand -> cand.node())
                .doesNotContain(dnd, pdb, bare, nodeDnd);
            assertThat(x.rejected())
                .containsKeys("claim-" + dnd, "claim-" + pdb, "claim-" + bare, "claim-" + nodeDnd);
            assertThat(x.rejected().get("claim-" + dnd)).contains("do-not-disrupt");
            assertThat(x.rejected().get("claim-" + pdb)).contains("PDB default/guard");
            assertThat(x.rejected().get("claim-" + bare)).contains("not owned by a controller");
            assertThat(x.rejected().get("claim-" + nodeDnd)).contains("node has");
          });
      c.clock.advance(Duration.ofSeconds(20));
    }
    assertThat(c.claimExists(dnd)).isTrue();
    assertThat(c.claimExists(pdb)).isTrue();
    assertThat(c.claimExists(bare)).isTrue();
    assertThat(c.claimExists(nodeDnd)).isTrue();
  }

  @Test
  void budgetsCapConcurrentDisruptionsPerNodePool() {
    NodePool pool = c.pool("2", "on-demand");
    for (int i = 0; i < 6; i++) {
      c.node("m5.large", "on-demand");
    }
    DisruptionController d = c.controller(Duration.ZERO);
    Command cmd = pass(d).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.EMPTINESS);
    assertThat(cmd.candidates()).hasSize(2);
    assertThat(c.remainingNodes()).hasSize(4);

    // A budget of zero for Empty stops emptiness entirely.
    pool = c.currentPool();
    Budget none = new Budget("0");
    none.setReasons(List.of("Empty"));
    pool.getSpec().getDisruption().setBudgets(List.of(none));
    c.client.resource(pool).update();
    c.await(
        () ->
            "0"
                .equals(
                    c.state
                        .nodePools()
                        .get(0)
                        .getSpec()
                        .getDisruption()
                        .getBudgets()
                        .get(0)
                        .getNodes()),
        "pool update");
    assertThat(pass(d)).isEmpty();
    assertThat(c.remainingNodes()).hasSize(4);
  }

  @Test
  void replacementIsLaunchedAndMustInitializeBeforeTheCandidateGoes() {
    c.pool("100%", "on-demand");
    String big = c.node("m5.4xlarge", "on-demand");
    c.pod(big, "500m");
    c.pod(big, "500m");
    DisruptionController d = c.controller(VALIDATION);
    pass(d);
    c.clock.advance(VALIDATION);
    Command cmd = pass(d).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.SINGLE_NODE_CONSOLIDATION);
    assertThat(cmd.priceAfter()).isLessThan(cmd.priceBefore());
    assertThat(c.tainted(big)).isTrue();
    List<NodeClaim> claims = c.client.resources(NodeClaim.class).list().getItems();
    assertThat(claims).hasSize(2);
    NodeClaim replacement =
        claims.stream()
            .filter(x -> !x.getMetadata().getName().equals("claim-" + big))
            .findFirst()
            .orElseThrow();
    // not yet initialized: the candidate stays, tainted (its command accounts for the taint)
    c.clock.advance(Duration.ofSeconds(10));
    pass(d);
    assertThat(c.claimExists(big)).isTrue();
    assertThat(c.tainted(big)).isTrue();
    // initialized: the candidate is deleted
    initialize(replacement);
    c.clock.advance(Duration.ofSeconds(10));
    pass(d);
    assertThat(c.claimExists(big)).isFalse();
    assertThat(
            c.client.resources(NodeClaim.class).withName(replacement.getMetadata().getName()).get())
        .isNotNull();
  }

  /**
   * An operator killed between tainting a candidate and deleting it leaves the taint behind; the
   * next operator's first pass removes it (no command of its own accounts for it), even where no
   * disruption is allowed, and keeps the taint of a node its own command is replacing.
   */
  @Test
  void aDisruptedTaintNoCommandAccountsForIsRemoved() {
    c.pool("0", "on-demand"); // nothing may be disrupted: no command of this operator taints it
    String n = c.node("m5.xlarge", "on-demand");
    c.pod(n, "3");
    c.client
        .nodes()
        .withName(n)
        .edit(
            node -> {
              node.getSpec()
                  .setTaints(
                      List.of(
                          new io.fabric8.kubernetes.api.model.TaintBuilder()
                              .withKey(Karpenter.DISRUPTED_TAINT_KEY)
                              .withEffect("NoSchedule")
                              .build()));
              return node;
            });
    c.await(
        () ->
            c.state.node(n).map(x -> x.getSpec().getTaints()).filter(t -> !t.isEmpty()).isPresent(),
        "the taint in the controllers' cache");
    assertThat(c.tainted(n)).isTrue();
    DisruptionController d = c.controller(VALIDATION);
    // a pass whose cache does not hold the NodeClaim's status yet cannot tell whose node it is;
    // the status arriving is a change, so a later pass looks again
    c.await(
        () -> {
          pass(d);
          return !c.tainted(n);
        },
        "the stale taint removed by a pass");
    assertThat(c.claimExists(n)).isTrue();
    assertThat(c.remainingNodes()).hasSize(1);
  }

  @Test
  void aFailedReplacementUntaintsTheCandidateAndLosesNothing() {
    c.pool("100%", "on-demand");
    String big = c.node("m5.4xlarge", "on-demand");
    c.pod(big, "500m");
    DisruptionController d = c.controller(Duration.ZERO);
    assertThat(pass(d)).isPresent();
    assertThat(c.tainted(big)).isTrue();
    NodeClaim replacement =
        c.client.resources(NodeClaim.class).list().getItems().stream()
            .filter(x -> !x.getMetadata().getName().equals("claim-" + big))
            .findFirst()
            .orElseThrow();
    c.client.resource(replacement).delete(); // e.g. insufficient capacity
    c.clock.advance(Duration.ofSeconds(10));
    pass(d);
    assertThat(c.claimExists(big)).isTrue();
    assertThat(c.tainted(big)).isFalse();
    assertThat(c.client.pods().inNamespace("default").list().getItems()).hasSize(1);
    assertThat(c.eventReasons()).anyMatch(e -> e.startsWith("DisruptionBlocked"));
    // it rests before being tried again
    c.clock.advance(Duration.ofSeconds(10));
    assertThat(pass(d)).isEmpty();
    assertThat(c.tainted(big)).isFalse();
    c.clock.advance(DisruptionController.COOL_DOWN);
    assertThat(pass(d)).isPresent();
  }

  @Test
  void driftedNodeIsReplacedWithoutWaiting() {
    NodePool pool = c.pool("100%", "on-demand");
    String n = c.node("c5.large", "on-demand"); // the cheapest fit for its pod
    c.pod(n, "1");
    DisruptionController d = c.controller(VALIDATION);
    assertThat(pass(d)).isEmpty(); // cheapest fit already: nothing to do
    pool = c.currentPool();
    if (pool.getSpec().getTemplate().getMetadata() == null) {
      pool.getSpec()
          .getTemplate()
          .setMetadata(new dev.dovetail.apis.v1.NodeClaimTemplate.ObjectMeta());
    }
    pool.getSpec().getTemplate().getMetadata().setLabels(Map.of("team", "blue")); // hash changes
    c.client.resource(pool).update();
    c.await(
        () -> {
          var meta = c.state.nodePools().get(0).getSpec().getTemplate().getMetadata();
          return meta != null && meta.getLabels() != null && !meta.getLabels().isEmpty();
        },
        "pool update");
    Command cmd = pass(d).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.DRIFT);
    assertThat(cmd.replacements()).hasSize(1);
    assertThat(cmd.replacements().get(0).labels()).containsEntry("team", "blue");
    assertThat(c.tainted(n)).isTrue();
  }

  @Test
  void minimumSavingsExtensionBlocksSmallReplacements() {
    NodePool pool = c.pool("100%", "on-demand");
    var ms = new dev.dovetail.apis.v1.MinimumSavings();
    ms.setPerHour("5");
    pool.getSpec().getDisruption().setMinimumSavings(ms);
    c.client.resource(pool).update();
    c.await(
        () -> c.state.nodePools().get(0).getSpec().getDisruption().getMinimumSavings() != null,
        "pool update");
    String big = c.node("m5.4xlarge", "on-demand");
    c.pod(big, "500m");
    DisruptionController d = c.controller(Duration.ZERO);
    assertThat(pass(d)).isEmpty();
    assertThat(c.claimExists(big)).isTrue();
    assertThat(c.client.resources(NodeClaim.class).list().getItems()).hasSize(1);
  }

  private void initialize(NodeClaim claim) {
    NodeClaim fresh =
        c.client.resources(NodeClaim.class).withName(claim.getMetadata().getName()).get();
    if (fresh.getStatus() == null) {
      fresh.setStatus(new dev.dovetail.apis.v1.NodeClaimStatus());
    }
    Conditions.set(
        fresh.getStatus().getConditions(),
        Karpenter.Conditions.INITIALIZED,
        true,
        "Initialized",
        "",
        null,
        Instant.now());
    c.client.resource(fresh).updateStatus();
  }

  @Test
  void requirementsDriftIsDetectedFromTheNodeLabels() {
    NodePool pool = c.pool("100%", "on-demand");
    String n = c.node("c5.large", "on-demand");
    c.pod(n, "1");
    pool = c.currentPool();
    pool.getSpec()
        .getTemplate()
        .getSpec()
        .setRequirements(
            List.of(
                new dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues(
                    "karpenter.k8s.aws/instance-family", "In", List.of("m5"), null),
                new dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues(
                    "karpenter.sh/capacity-type", "In", List.of("on-demand"), null)));
    c.client.resource(pool).update();
    c.await(
        () ->
            c.state.nodePools().get(0).getSpec().getTemplate().getSpec().getRequirements().size()
                == 2,
        "pool update");
    DisruptionController d = c.controller(VALIDATION);
    Command cmd = pass(d).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.DRIFT);
    assertThat(cmd.candidates().get(0).driftReason()).isEqualTo("RequirementsDrifted");
    assertThat(cmd.replacements().get(0).instanceTypeOptions())
        .allMatch(it -> it.name().startsWith("m5."));
  }

  @Test
  void theProvidersDriftCheckReplacesTheNode() {
    java.util.Set<String> drifted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    FakeCluster f =
        new FakeCluster(
            new dev.dovetail.plugins.simulated.SimulatedCloud() {
              @Override
              public Optional<String> isDrifted(dev.dovetail.cloudprovider.NodeClaimView claim) {
                return drifted.contains(claim.name()) ? Optional.of("AMIDrift") : Optional.empty();
              }
            });
    try {
      f.pool("100%", "on-demand");
      String n = f.node("c5.large", "on-demand");
      f.pod(n, "1");
      drifted.add("claim-" + n); // e.g. a newer image was published
      f.sync();
      f.markConditions();
      Command cmd = f.controller(VALIDATION).reconcileOnce().orElseThrow();
      assertThat(cmd.method()).isEqualTo(Method.DRIFT);
      assertThat(cmd.candidates().get(0).driftReason()).isEqualTo("AMIDrift");
      assertThat(f.tainted(n)).isTrue();
    } finally {
      f.close();
    }
  }

  private void budget(String nodes) {
    NodePool pool = c.currentPool();
    pool.getSpec().getDisruption().setBudgets(List.of(new Budget(nodes)));
    c.client.resource(pool).update();
    c.await(
        () ->
            nodes.equals(
                c.state
                    .nodePools()
                    .get(0)
                    .getSpec()
                    .getDisruption()
                    .getBudgets()
                    .get(0)
                    .getNodes()),
        "pool update");
  }

  @Test
  void severalCommandsAreInFlightAtOnceAsFarAsTheBudgetsAllow() {
    c.pool("1", "on-demand");
    // 9 cpu each: neither fits beside the other, each fits a cheaper c5.4xlarge
    String a = c.node("m5.4xlarge", "on-demand");
    c.pod(a, "9");
    String b = c.node("m5.4xlarge", "on-demand");
    c.pod(b, "9");
    DisruptionController d = c.controller(Duration.ZERO);
    Command first = pass(d).orElseThrow();
    assertThat(first.candidates()).hasSize(1);
    assertThat(first.replacements()).hasSize(1);
    // Its replacement is launching; the budget of 1 is used up, so nothing else starts.
    c.clock.advance(Duration.ofSeconds(10));
    assertThat(pass(d)).isEmpty();

    budget("2");
    c.clock.advance(Duration.ofSeconds(10));
    Command second = pass(d).orElseThrow(); // not waiting for the first to finish
    assertThat(second.candidates())
        .extracting(x -> x.node())
        .doesNotContainAnyElementsOf(first.candidates().stream().map(x -> x.node()).toList());
    assertThat(c.tainted(a)).isTrue();
    assertThat(c.tainted(b)).isTrue();
    assertThat(c.client.resources(NodeClaim.class).list().getItems()).hasSize(4);
    assertThat(d.busy()).isTrue();
  }

  @Test
  void aPendingPodThatWouldFitKeepsTheNodeItWouldGo() {
    c.pool("100%", "on-demand");
    String empty = c.node("m5.xlarge", "on-demand");
    c.client
        .resource(
            new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata()
                .withName("waiting")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("pause")
                .withNewResources()
                .withRequests(
                    Map.of(
                        "cpu",
                        new io.fabric8.kubernetes.api.model.Quantity("1"),
                        "memory",
                        new io.fabric8.kubernetes.api.model.Quantity("256Mi")))
                .endResources()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Pending")
                .endStatus()
                .build())
        .create();
    c.await(() -> c.state.pods().size() == 1, "pending pod in cache");
    DisruptionController d = c.controller(Duration.ZERO);
    for (int i = 0; i < 3; i++) {
      assertThat(pass(d)).isEmpty();
      c.clock.advance(Duration.ofSeconds(20));
    }
    assertThat(c.claimExists(empty)).isTrue();
  }

  @Test
  void aCommandWhosePodsCanNoLongerMoveSafelyIsAbortedBeforeEviction() {
    c.pool("100%", "on-demand");
    String big = c.node("m5.4xlarge", "on-demand");
    c.pod(big, "500m");
    DisruptionController d = c.controller(Duration.ZERO);
    Command cmd = pass(d).orElseThrow();
    assertThat(cmd.replacements()).hasSize(1);
    NodeClaim replacement =
        c.client.resources(NodeClaim.class).list().getItems().stream()
            .filter(x -> !x.getMetadata().getName().equals("claim-" + big))
            .findFirst()
            .orElseThrow();
    // While the replacement launches, a pod that must not be disrupted lands on the candidate.
    c.pod(big, "500m", true, Map.of(Karpenter.DO_NOT_DISRUPT_ANNOTATION, "true"));
    initialize(replacement);
    c.await(
        () ->
            c.state
                .nodeClaim(replacement.getMetadata().getName())
                .map(
                    x ->
                        x.getStatus() != null
                            && Conditions.isTrue(
                                x.getStatus().getConditions(), Karpenter.Conditions.INITIALIZED))
                .orElse(false),
        "replacement initialized in cache");
    c.clock.advance(Duration.ofSeconds(10));
    pass(d);
    assertThat(c.claimExists(big)).isTrue(); // not evicted: verified just before, and refused
    assertThat(c.tainted(big)).isFalse();
    assertThat(c.eventReasons())
        .anyMatch(e -> e.startsWith("DisruptionBlocked") && e.contains("aborted before eviction"));
  }

  @Test
  void aNodeWithAFreshPodEventWaitsOutConsolidateAfter() {
    NodePool pool = c.pool("100%", "on-demand");
    pool.getSpec().getDisruption().setConsolidateAfter("30m");
    c.client.resource(pool).update();
    c.await(
        () ->
            "30m"
                .equals(c.state.nodePools().get(0).getSpec().getDisruption().getConsolidateAfter()),
        "pool update");
    String big = c.node("m5.4xlarge", "on-demand"); // initialized 1h ago: Consolidatable
    DisruptionController d = c.controller(Duration.ZERO);
    c.markConditions(); // baseline of its pods
    c.pod(big, "500m"); // a pod event: consolidateAfter starts again
    for (int i = 0; i < 3; i++) {
      assertThat(pass(d)).isEmpty();
      c.clock.advance(Duration.ofMinutes(9));
    }
    c.clock.advance(Duration.ofMinutes(4));
    Command cmd = pass(d).orElseThrow(); // 31 minutes after the pod event
    assertThat(cmd.method()).isEqualTo(Method.SINGLE_NODE_CONSOLIDATION);
  }

  @Test
  void anUnchangedClusterIsPlannedOnceThenNotAgainUntilSomethingChanges() {
    c.pool("100%", "on-demand");
    String a = c.node("m5.xlarge", "on-demand");
    String b = c.node("m5.xlarge", "on-demand");
    Map<String, String> stay = Map.of(Karpenter.DO_NOT_DISRUPT_ANNOTATION, "true");
    c.pod(a, "3", true, stay); // neither node may be disrupted: nothing to do
    c.pod(b, "3", true, stay);
    DisruptionController d = c.controller(Duration.ZERO);
    assertThat(pass(d)).isEmpty();
    long planned = d.plannedPasses();
    assertThat(planned).isPositive();
    for (int i = 0; i < 3; i++) {
      c.clock.advance(Duration.ofSeconds(10));
      assertThat(pass(d)).isEmpty();
    }
    assertThat(d.plannedPasses()).as("idle passes re-plan nothing").isEqualTo(planned);
    assertThat(d.converged()).isTrue();

    c.pod(a, "100m"); // an event: the next pass plans again
    c.clock.advance(Duration.ofSeconds(10));
    assertThat(pass(d)).isEmpty();
    assertThat(d.plannedPasses()).isEqualTo(planned + 1);
    c.clock.advance(Duration.ofSeconds(10));
    pass(d);
    assertThat(d.plannedPasses()).isEqualTo(planned + 1);

    c.clock.advance(SettledCluster.RECHECK); // and at least every RECHECK without one
    pass(d);
    assertThat(d.plannedPasses()).isEqualTo(planned + 2);
  }

  @Test
  void aChangeAfterASettledPassIsActedOn() {
    c.pool("100%", "on-demand");
    String a = c.node("m5.xlarge", "on-demand");
    String b = c.node("m5.xlarge", "on-demand");
    Map<String, String> stay = Map.of(Karpenter.DO_NOT_DISRUPT_ANNOTATION, "true");
    c.pod(a, "3", true, stay);
    c.pod(b, "3", true, stay);
    DisruptionController d = c.controller(Duration.ZERO);
    assertThat(pass(d)).isEmpty();
    c.clock.advance(Duration.ofSeconds(10));
    assertThat(pass(d)).isEmpty(); // settled
    // b's pod goes: b is empty now, and the settled mark must not hide it
    long before = c.state.generation();
    c.client.pods().inNamespace("default").withLabel("app", "web").list().getItems().stream()
        .filter(p -> b.equals(p.getSpec().getNodeName()))
        .forEach(p -> c.client.resource(p).withGracePeriod(0).delete());
    c.await(() -> c.state.podsOn(b).isEmpty(), "pod gone from the cache");
    c.awaitEvents(before, 1);
    c.clock.advance(Duration.ofSeconds(10));
    Command cmd = pass(d).orElseThrow();
    assertThat(cmd.method()).isEqualTo(Method.EMPTINESS);
    assertThat(c.claimExists(b)).isFalse();
  }
}
