package dev.dovetail.state;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.kube.Conditions;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState.Nomination;
import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which pod was nominated to which node or NodeClaim, and when a nomination is void: the cluster
 * state keeps these so that a pod whose machine is still on its way is not provisioned for twice,
 * and calls in here from its informer handlers (a pod bound or gone, a target deleted).
 */
final class Nominations {
  private static final Duration NOMINATION_GRACE = Duration.ofSeconds(5);

  /** How long a ready NodeClaim whose node is not cached yet keeps a pod nominated. */
  private static final Duration BIND_GRACE = Duration.ofSeconds(10);

  /**
   * How long after its target is ready a nomination holds at most while the pod still fits there: a
   * scheduler minutes behind (a huge backlog, a starved machine) must not make Dovetail buy the pod
   * a second NodeClaim.
   */
  private static final Duration STRAGGLER_GRACE = Duration.ofMinutes(3);

  private final Clock clock;
  private final Function<String, NodeClaim> claims;
  private final Function<String, Node> nodes;
  private final NodeUsage usage;
  private final Map<String, Nomination> byPod = new ConcurrentHashMap<>();

  /**
   * Names of NodeClaims and nodes seen deleted (the last 10,000): a nomination a solve made from a
   * cache read just before the delete names one of these, and is void at once rather than after the
   * grace that covers targets not in the cache yet.
   */
  private final RecentNames goneTargets = new RecentNames(10_000);

  /**
   * @param claims the cached NodeClaim of a name, or null
   * @param nodes the cached Node of a name, or null
   * @param usage what the pods bound to each node request
   */
  Nominations(
      Clock clock,
      Function<String, NodeClaim> claims,
      Function<String, Node> nodes,
      NodeUsage usage) {
    this.clock = clock;
    this.claims = claims;
    this.nodes = nodes;
    this.usage = usage;
  }

  void nominate(String podKey, String target, Duration ttl) {
    Instant now = clock.instant();
    byPod.put(podKey, new Nomination(target, now, now.plus(ttl)));
  }

  /** The nomination of the pod (whose key is {@code podKey}), unless it expired or is void. */
  Optional<Nomination> live(String podKey, Pod pod) {
    Nomination n = byPod.get(podKey);
    if (n == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (now.isAfter(n.expires()) || targetGone(n, pod, now)) {
      byPod.remove(podKey, n);
      return Optional.empty();
    }
    return Optional.of(n);
  }

  /** The keys of the nominated pods, a copy. */
  List<String> podKeys() {
    return List.copyOf(byPod.keySet());
  }

  /** The pod landed or went: its nomination has done its job. */
  void forget(String podKey) {
    byPod.remove(podKey);
  }

  /** The node or NodeClaim was deleted: its nominations go with it, and late ones are void. */
  void targetGone(String name) {
    goneTargets.add(name);
    clear(name);
  }

  /** Drops every nomination to {@code target}. */
  void clear(String target) {
    byPod.values().removeIf(n -> n.target().equals(target));
  }

  /**
   * A nomination is void once its target cannot take the pod any more: the node or NodeClaim is
   * gone, or it is ready and the pod no longer fits there (the scheduler bound other pods in its
   * place). The pod is then provisioned for again, as Karpenter re-solves pods whose nomination did
   * not work out. While the pod still fits, the nomination holds for a few minutes ({@link
   * #STRAGGLER_GRACE}) however slow the scheduler is to reach it: upstream keeps a node nominated
   * while pods are still schedulable to it (dropping it after 10 s bought second NodeClaims). A
   * just-created NodeClaim may not be cached yet, hence the grace period.
   */
  private boolean targetGone(Nomination n, Pod pod, Instant now) {
    if (goneTargets.contains(n.target())) {
      return true;
    }
    if (now.isBefore(n.since().plus(NOMINATION_GRACE))) {
      return false;
    }
    NodeClaim claim = claims.apply(n.target());
    Node node = nodes.apply(n.target());
    if (claim == null && node == null) {
      return true;
    }
    Instant readySince = null;
    if (claim != null && claim.getStatus() != null) {
      // The status is compared before the time is parsed: this runs for every nominated pod on
      // every look, and most claims in flight are not initialised yet.
      readySince =
          Conditions.isTrue(claim.getStatus().getConditions(), "Initialized")
              ? Conditions.transitionTime(claim.getStatus().getConditions(), "Initialized")
                  .orElse(null)
              : null;
      if (readySince != null && node == null && claim.getStatus().getNodeName() != null) {
        node = nodes.apply(claim.getStatus().getNodeName());
      }
    } else if (node != null) {
      readySince = n.since();
    }
    if (readySince == null) {
      return false;
    }
    // Void at once when a ready node lost the pod's room (waiting 10 s only delayed its next
    // solve); fits() counts bound pods only, never more than a solve, so no fresh plan is voided.
    if (node != null && !fits(pod, node)) {
      return true;
    }
    Instant ready = later(readySince, n.since());
    if (!now.isAfter(ready.plus(BIND_GRACE))) {
      return false;
    }
    // Past the grace, kept while the pod still fits there, but not for ever: the check counts
    // resources only, and a pod the scheduler keeps off the node for another reason (an
    // anti-affinity to a pod bound there since) must be re-solved, not wait out the TTL.
    return node == null || now.isAfter(ready.plus(STRAGGLER_GRACE));
  }

  /** Whether the pod's requests fit in what the pods bound to the node leave of its allocatable. */
  private boolean fits(Pod pod, Node node) {
    if (pod.getSpec() == null || node.getStatus() == null) {
      return false;
    }
    Resources allocatable = CloudProviderFacade.resources(node.getStatus().getAllocatable());
    return PodTranslator.requests(pod.getSpec())
        .add(usage.used(node.getMetadata().getName()))
        .fitsIn(allocatable);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
