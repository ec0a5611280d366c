package dev.dovetail.controllers.node.termination;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Evicts a node's pods through the Eviction API in Karpenter's order: non-critical pods before
 * critical ones, and within each, pods of DaemonSets last (they would come back on a node that is
 * still schedulable for them, and they often serve the other pods until the end). A tier is evicted
 * only once every lower tier is gone. An eviction the API refuses with 429 (a PodDisruptionBudget)
 * is retried on the next pass, never forced. Pods annotated {@code karpenter.sh/do-not-disrupt} are
 * left alone until the NodeClaim's terminationGracePeriod is about to end: each remaining pod is
 * deleted when the deadline minus its own terminationGracePeriodSeconds is reached (as upstream
 * does), so it is gone by the deadline.
 */
final class Drainer {
  static final Set<String> CRITICAL_PRIORITY_CLASSES =
      Set.of("system-cluster-critical", "system-node-critical");

  private final KubernetesClient client;
  private final ClusterState state;
  private final EventRecorder events;
  private final TerminationObserver observer;

  /** Where a drain pass left the node. */
  record Result(boolean drained, String message) {}

  Drainer(
      KubernetesClient client,
      ClusterState state,
      EventRecorder events,
      TerminationObserver observer) {
    // The client retries 429 with backoff by default; for evictions 429 is the answer we need at
    // once (a budget refused), so this view of the same connection does not retry.
    this.client =
        client
            .newClient(
                new io.fabric8.kubernetes.client.RequestConfigBuilder(
                        client.getConfiguration().getRequestConfig())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .adapt(KubernetesClient.class);
    this.state = state;
    this.events = events;
    this.observer = observer;
  }

  /**
   * One drain pass.
   *
   * @param deadline when the NodeClaim's terminationGracePeriod runs out, if it has one
   * @param now the current time
   */
  Result drain(Node node, Optional<Instant> deadline, Instant now) {
    String nodeName = node.getMetadata().getName();
    List<Pod> remaining = new ArrayList<>();
    for (Pod p : state.podsOn(nodeName)) {
      if (!PodUtils.isTerminal(p) && !PodUtils.isOwnedBy(p, "Node")) {
        remaining.add(p);
      }
    }
    if (remaining.isEmpty()) {
      return new Result(true, "");
    }
    if (deadline.isPresent()) {
      // Upstream deletes each pod early enough for its own grace period to end by the deadline,
      // whatever budgets or do-not-disrupt say: the terminationGracePeriod is a hard bound.
      int deleted = 0;
      for (Pod p : remaining) {
        Duration podGrace = podGrace(p);
        if (!PodUtils.isTerminating(p) && !now.isBefore(deadline.get().minus(podGrace))) {
          long seconds = Math.max(0, Duration.between(now, deadline.get()).toSeconds());
          delete(p, seconds);
          deleted++;
          events.warning(
              p,
              "Evicted",
              "Deleted pod: the NodeClaim's terminationGracePeriod ends at " + deadline.get());
        }
      }
      if (!now.isBefore(deadline.get())) {
        // The period is over: every pod has been told to go; the instance goes now regardless.
        return new Result(true, "terminationGracePeriod elapsed");
      }
      if (deleted > 0) {
        return new Result(
            false, remaining.size() + " pods remaining, deleted for the terminationGracePeriod");
      }
    }
    int lowest = Integer.MAX_VALUE;
    int doNotDisrupt = 0;
    for (Pod p : remaining) {
      if (doNotDisrupt(p) && !PodUtils.isTerminating(p)) {
        doNotDisrupt++;
      } else {
        lowest = Math.min(lowest, tier(p));
      }
    }
    int blocked = 0;
    for (Pod p : remaining) {
      if (PodUtils.isTerminating(p) || doNotDisrupt(p) || tier(p) != lowest) {
        continue;
      }
      if (evict(p)) {
        events.normal(p, "Evicted", "Evicted pod: node " + nodeName + " is being terminated");
      } else {
        blocked++;
        events.warning(
            node,
            "FailedDraining",
            "Failed to evict pod "
                + ClusterState.podKey(p)
                + ": it would violate the pod's disruption budget");
      }
    }
    return new Result(
        false,
        remaining.size()
            + " pods remaining ("
            + blocked
            + " blocked by PodDisruptionBudgets, "
            + doNotDisrupt
            + " with "
            + Karpenter.DO_NOT_DISRUPT_ANNOTATION
            + ")");
  }

  /** 0 non-critical, 1 non-critical DaemonSet, 2 critical, 3 critical DaemonSet. */
  static int tier(Pod p) {
    boolean critical =
        p.getSpec() != null
            && p.getSpec().getPriorityClassName() != null
            && CRITICAL_PRIORITY_CLASSES.contains(p.getSpec().getPriorityClassName());
    boolean daemon = PodUtils.isOwnedBy(p, "DaemonSet");
    return (critical ? 2 : 0) + (daemon ? 1 : 0);
  }

  static boolean doNotDisrupt(Pod p) {
    return p.getMetadata().getAnnotations() != null
        && "true".equals(p.getMetadata().getAnnotations().get(Karpenter.DO_NOT_DISRUPT_ANNOTATION));
  }

  /**
   * True when the pod was evicted (or is already gone), false when a budget refused (429). The
   * eviction names the pod's uid as a precondition, as upstream's does: the cache may still show a
   * pod whose successor of the same name (a StatefulSet's, or one recreated elsewhere) already runs
   * on another node, and that one must not be evicted for this node's drain. 409 (the pod of that
   * name is another one) and 404 both mean the pod we meant is gone.
   */
  private boolean evict(Pod p) {
    try {
      boolean evicted =
          client
              .pods()
              .inNamespace(p.getMetadata().getNamespace())
              .withName(p.getMetadata().getName())
              .evict(eviction(p));
      // fabric8 answers false only for 429 (a budget refused); true means the API accepted it.
      observer.evictionRequested(evicted ? 200 : 429);
      return evicted;
    } catch (KubernetesClientException e) {
      observer.evictionRequested(e.getCode());
      if (e.getCode() == 404 || e.getCode() == 409) {
        return true;
      }
      throw e;
    }
  }

  static Eviction eviction(Pod p) {
    return new EvictionBuilder()
        .withNewMetadata()
        .withName(p.getMetadata().getName())
        .withNamespace(p.getMetadata().getNamespace())
        .endMetadata()
        .withDeleteOptions(
            new DeleteOptionsBuilder()
                .withNewPreconditions()
                .withUid(p.getMetadata().getUid())
                .endPreconditions()
                .build())
        .build();
  }

  private static Duration podGrace(Pod p) {
    Long seconds = p.getSpec() == null ? null : p.getSpec().getTerminationGracePeriodSeconds();
    return Duration.ofSeconds(seconds == null ? 30 : seconds);
  }

  private void delete(Pod p, long gracePeriodSeconds) {
    try {
      client
          .pods()
          .inNamespace(p.getMetadata().getNamespace())
          .withName(p.getMetadata().getName())
          .withGracePeriod(gracePeriodSeconds)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
