package dev.dovetail.controllers.disruption;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.controllers.disruption.model.Candidate;
import dev.dovetail.controllers.disruption.model.Command;
import dev.dovetail.controllers.provisioning.NodeClaimFactory;
import dev.dovetail.kube.Conditions;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.NodeUtils;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out disruption commands safely: the candidates are tainted {@code
 * karpenter.sh/disrupted:NoSchedule} so nothing new lands on them, the replacements are launched,
 * and only once every replacement is Initialized are the candidates' NodeClaims deleted (the
 * termination finalizer drains and terminates them), after one more check that their pods still fit
 * elsewhere. If a replacement fails or does not initialize in time, or that check fails, the
 * candidates are un-tainted and left running: nothing is lost.
 */
final class DisruptionQueue {
  private static final Logger LOG = LoggerFactory.getLogger(DisruptionQueue.class);

  private final KubernetesClient client;
  private final ClusterState state;
  private final EventRecorder events;
  private final Duration replacementTimeout;
  private final NodeClaimFactory claims;
  private final List<InFlight> inFlight = new ArrayList<>();
  private final List<Command> failedAtSubmit = new ArrayList<>();
  private final java.util.function.BiConsumer<Command, Candidate> deleted;

  /** A command whose replacements are on their way. */
  record InFlight(Command command, List<String> replacements, Instant started) {}

  /**
   * @param deleted told of each candidate whose NodeClaim deletion was requested (metrics count
   *     disruptions that happened, not commands that were later rolled back)
   */
  DisruptionQueue(
      KubernetesClient client,
      ClusterState state,
      EventRecorder events,
      Duration timeout,
      java.util.function.BiConsumer<Command, Candidate> deleted) {
    this.deleted = deleted;
    this.client = client;
    this.state = state;
    this.claims = new NodeClaimFactory(name -> state.nodeClaim(name).isPresent());
    this.events = events;
    this.replacementTimeout = timeout;
  }

  synchronized boolean isEmpty() {
    return inFlight.isEmpty();
  }

  /** NodeClaims the queue is disrupting. */
  synchronized Set<String> candidates() {
    Set<String> out = new HashSet<>();
    for (InFlight f : inFlight) {
      f.command().candidates().forEach(c -> out.add(c.nodeClaim()));
    }
    return out;
  }

  /** Replacement NodeClaims of commands still in flight (not to be disrupted themselves). */
  synchronized Set<String> replacements() {
    Set<String> out = new HashSet<>();
    for (InFlight f : inFlight) {
      out.addAll(f.replacements());
    }
    return out;
  }

  /** Starts a command: taint, launch replacements; a pure deletion deletes at once. */
  synchronized void submit(Command cmd, Map<String, NodePool> pools, Instant now) {
    for (Candidate c : cmd.candidates()) {
      taint(c.node(), true);
    }
    List<String> names = new ArrayList<>();
    try {
      for (NewNodeClaim plan : cmd.replacements()) {
        NodePool pool = pools.get(plan.nodePool());
        if (pool == null) {
          throw new IllegalStateException("NodePool " + plan.nodePool() + " is gone");
        }
        NodeClaim created = client.resource(claims.build(pool, plan)).create();
        names.add(created.getMetadata().getName());
        events.normal(
            created,
            "DisruptionLaunching",
            "Launching NodeClaim: " + cmd.method().label() + " replacement for " + nodes(cmd));
      }
    } catch (RuntimeException e) {
      LOG.warn("launching replacements for {} failed: {}", cmd.describe(), e.toString());
      rollBack(cmd, "launching a replacement failed: " + e.getMessage());
      failedAtSubmit.add(cmd);
      return;
    }
    if (names.isEmpty()) {
      deleteCandidates(cmd);
      return;
    }
    for (Candidate c : cmd.candidates()) {
      state
          .nodeClaim(c.nodeClaim())
          .ifPresent(
              claim ->
                  events.normal(
                      claim,
                      "DisruptionWaitingReadiness",
                      "Waiting on readiness to continue disruption of " + c.nodeClaim()));
    }
    inFlight.add(new InFlight(cmd, names, now));
  }

  /**
   * Moves every command on: delete candidates once replacements are ready, or roll back.
   *
   * @return the commands rolled back in this call
   */
  synchronized List<Command> advance(
      Instant now, java.util.function.Function<Command, java.util.Optional<String>> verify) {
    List<Command> rolledBack = new ArrayList<>(failedAtSubmit);
    failedAtSubmit.clear();
    Iterator<InFlight> it = inFlight.iterator();
    while (it.hasNext()) {
      InFlight f = it.next();
      boolean allReady = true;
      String failed = null;
      for (String name : f.replacements()) {
        NodeClaim claim = client.resources(NodeClaim.class).withName(name).get();
        if (claim == null || claim.getMetadata().getDeletionTimestamp() != null) {
          failed = "replacement " + name + " was deleted before it initialized";
          break;
        }
        if (!Conditions.isTrue(
            claim.getStatus() == null ? null : claim.getStatus().getConditions(),
            Karpenter.Conditions.INITIALIZED)) {
          allReady = false;
        }
      }
      if (failed == null && !allReady && !now.isBefore(f.started().plus(replacementTimeout))) {
        failed = "replacements did not initialize within " + replacementTimeout;
      }
      if (failed != null) {
        LOG.warn("disruption {} abandoned: {}", f.command().describe(), failed);
        rollBack(f.command(), failed);
        rolledBack.add(f.command());
        it.remove();
      } else if (allReady) {
        it.remove();
        // Verified just before eviction: the pods' destinations are checked now, not when the
        // command was planned (the cluster moved on while the replacements launched).
        java.util.Optional<String> abort = verify.apply(f.command());
        if (abort.isPresent()) {
          LOG.info(
              "disruption {} aborted before eviction: {}", f.command().describe(), abort.get());
          rollBack(f.command(), "aborted before eviction: " + abort.get());
          rolledBack.add(f.command());
        } else {
          deleteCandidates(f.command());
        }
      }
    }
    return rolledBack;
  }

  private void deleteCandidates(Command cmd) {
    for (Candidate c : cmd.candidates()) {
      NodeClaim claim = client.resources(NodeClaim.class).withName(c.nodeClaim()).get();
      if (claim == null) {
        continue;
      }
      events.normal(
          claim,
          "DisruptionTerminating",
          "Disrupting NodeClaim: " + cmd.method().label() + " (" + cmd.describe() + ")");
      dev.dovetail.controllers.nodeclaim.NodeClaimDeletion.announce(
          events, claim, reason(cmd), "disruption", cmd.method().label() + ": " + cmd.describe());
      client.resource(claim).delete();
      deleted.accept(cmd, c);
    }
  }

  /** Karpenter's disruption reason for the deletion event: Empty, Underutilized, Drifted, ... */
  private static String reason(Command cmd) {
    return cmd.method().budgetReason();
  }

  private void rollBack(Command cmd, String why) {
    for (Candidate c : cmd.candidates()) {
      taint(c.node(), false);
      state
          .nodeClaim(c.nodeClaim())
          .ifPresent(claim -> events.warning(claim, "DisruptionBlocked", why));
    }
  }

  /** Removes the disrupted taint a command that no longer runs left on {@code nodeName}. */
  synchronized void untaintStale(String nodeName) {
    LOG.info(
        "removing the disrupted taint from node {}: no disruption of it is in flight", nodeName);
    taint(nodeName, false);
  }

  private void taint(String nodeName, boolean add) {
    // Read-modify-write with the resourceVersion (a conflict retries): patches that remove a list
    // element are not applied faithfully by every API server this runs against (the embedded one).
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        Node n = client.nodes().withName(nodeName).get();
        if (n == null) {
          return;
        }
        List<Taint> taints =
            n.getSpec().getTaints() == null
                ? new ArrayList<>()
                : new ArrayList<>(n.getSpec().getTaints());
        boolean has = NodeUtils.hasDisruptedTaint(n);
        if (add == has) {
          return;
        }
        if (add) {
          taints.add(
              new TaintBuilder()
                  .withKey(Karpenter.DISRUPTED_TAINT_KEY)
                  .withEffect("NoSchedule")
                  .build());
        } else {
          taints.removeIf(t -> Karpenter.DISRUPTED_TAINT_KEY.equals(t.getKey()));
        }
        n.getSpec().setTaints(taints);
        client.resource(n).update();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (Thread.currentThread().isInterrupted()) {
          // the operator is stopping; the next one's first pass removes a taint left behind
          throw new java.util.concurrent.CancellationException("stopped while tainting");
        }
        if (e.getCode() != 409) {
          LOG.warn("{} taint on node {}: {}", add ? "adding" : "removing", nodeName, e.toString());
          return;
        }
      }
    }
  }

  private static String nodes(Command cmd) {
    List<String> out = new ArrayList<>();
    cmd.candidates().forEach(c -> out.add(c.node()));
    return String.join(", ", out);
  }

  static Consumer<Command> none() {
    return c -> {};
  }
}
