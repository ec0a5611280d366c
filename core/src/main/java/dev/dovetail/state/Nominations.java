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
import java.util.HashMap;
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

  /**
   * The targets one look at many pods has read, each once however many pods are nominated to it: a
   * pass looks at every nominated pod (thousands, a few to each NodeClaim in flight), and reading
   * both caches per pod was a sixth of a 20,000-pod pass's snapshot. One per look, on one thread;
   * what it holds is as fresh as the look.
   */
  static final class Look {
    private final Map<String, Target> targets = new HashMap<>();
  }

  /** A nomination's target as the caches hold it: its NodeClaim, its Node, when it was ready. */
  private record Target(NodeClaim claim, Node node, Instant claimReadySince) {}

  /** The nomination of the pod (whose key is {@code podKey}), unless it expired or is void. */
  Optional<Nomination> live(String podKey, Pod pod) {
    return live(podKey, pod, new Look());
  }

  /** {@link #live(String, Pod)}, reading each target once in {@code look}. */
  Optional<Nomination> live(String podKey, Pod pod, Look look) {
    Nomination n = byPod.get(podKey);
    if (n == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (now.isAfter(n.expires()) || targetGone(n, pod, now, look)) {
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
  private boolean targetGone(Nomination n, Pod pod, Instant now, Look look) {
    if (goneTargets.contains(n.target())) {
      return true;
    }
    if (now.isBefore(n.since().plus(NOMINATION_GRACE))) {
      return false;
    }
    Target target = look.targets.computeIfAbsent(n.target(), this::target);
    NodeClaim claim = target.claim();
    Node node = target.node();
    if (claim == null && node == null) {
      return true;
    }
    Instant readySince = null;
    if (claim != null && claim.getStatus() != null) {
      readySince = target.claimReadySince();
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

  /**
   * The target's NodeClaim and Node; once the claim is initialised, its node under the name the
   * claim reports when the node is not named like the claim.
   */
  private Target target(String name) {
    NodeClaim claim = claims.apply(name);
    Node node = nodes.apply(name);
    Instant readySince = null;
    if (claim != null && claim.getStatus() != null) {
      // The status is compared before the time is parsed: most claims in flight are not
      // initialised yet.
      readySince =
          Conditions.isTrue(claim.getStatus().getConditions(), "Initialized")
              ? Conditions.transitionTime(claim.getStatus().getConditions(), "Initialized")
                  .orElse(null)
              : null;
      if (readySince != null && node == null && claim.getStatus().getNodeName() != null) {
        node = nodes.apply(claim.getStatus().getNodeName());
      }
    }
    return new Target(claim, node, readySince);
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
