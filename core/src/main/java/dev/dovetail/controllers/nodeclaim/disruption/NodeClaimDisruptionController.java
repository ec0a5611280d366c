package dev.dovetail.controllers.nodeclaim.disruption;

import dev.dovetail.apis.v1.Karpenter.Conditions;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.kube.Durations;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's nodeclaim/disruption controller: writes the NodeClaim conditions the disruption pass
 * reads. {@code Drifted} (True with the drift reason; removed when no longer drifted) and {@code
 * Consolidatable} (True once the NodeClaim is initialized and has had no pod event for the
 * NodePool's {@code consolidateAfter}; removed under {@code consolidateAfter: Never}). A provider
 * that fails to answer whether a NodeClaim drifted leaves {@code Drifted} as it was: an error is
 * not an answer.
 */
public final class NodeClaimDisruptionController {
  private static final Logger LOG = LoggerFactory.getLogger(NodeClaimDisruptionController.class);

  /**
   * @param enabled whether the controller runs at all
   * @param pollInterval how often NodeClaims are checked (the NodePool hash and requirements every
   *     pass; they cost nothing)
   * @param driftRecheck how long the provider's answer to "did this NodeClaim drift" is reused
   *     before it is asked again (the check may call the cloud; upstream re-checks periodically)
   */
  public record Options(boolean enabled, Duration pollInterval, Duration driftRecheck) {
    public static final Options DEFAULT = new Options(true, Duration.ofSeconds(30));

    /** With upstream's drift re-check period for the provider's answer. */
    public Options(boolean enabled, Duration pollInterval) {
      this(enabled, pollInterval, DriftDetector.RECHECK);
    }
  }

  private final KubernetesClient client;
  private final ClusterState state;
  private final Clock clock;
  private final Options options;
  private final DriftDetector drift;
  private final PodEvents podEvents = new PodEvents();

  /** Pod events not written yet (a conflict): kept until a write succeeds. */
  private final Map<String, Instant> unrecorded = new java.util.HashMap<>();

  /**
   * Per NodeClaim, the inputs its conditions were last found up to date with and when they fall due
   * again (its consolidateAfter ends, the provider's drift answer is to be asked again): an idle
   * pass skips a NodeClaim whose claim, node and NodePool are at the same resourceVersion and whose
   * timers are not due, instead of copying and re-checking every NodeClaim every pass.
   */
  private final Map<String, UpToDate> upToDate = new java.util.HashMap<>();

  private record UpToDate(String claim, String node, String pool, Instant due) {
    boolean holds(String claimVersion, String nodeVersion, String poolVersion, Instant now) {
      return claim.equals(claimVersion)
          && node.equals(nodeVersion)
          && pool.equals(poolVersion)
          && now.isBefore(due);
    }
  }

  private long evaluated;
  private boolean driftUnknown;

  /**
   * The cluster state's generation when the last pass walked every NodeClaim and left each one up
   * to date, and the earliest timer found then: until either moves, a pass has nothing to look at,
   * so it skips the walk, and with it the pod-event scan over every pod (40,000 pods' keys hashed
   * every 10 s on an idle cluster otherwise).
   */
  private long walkedGeneration = -1;

  private Instant nextDue = Instant.MIN;
  private Map<String, String> walkedPools = Map.of();
  private long walks;

  public NodeClaimDisruptionController(
      KubernetesClient client,
      ClusterState state,
      CloudProviderFacade cloud,
      Clock clock,
      Options options) {
    this.client = client;
    this.state = state;
    this.clock = clock;
    this.options = options;
    this.drift = new DriftDetector(cloud, clock, options.driftRecheck());
  }

  /** A NodeClaim whose status a pass wrote, and the resourceVersion the write made. */
  public record Written(String name, String resourceVersion) {}

  /**
   * One pass; returns the NodeClaims whose status it wrote. Names and versions, not the server's
   * answers: a walk that writes a thousand newly registered claims would hold a thousand responses
   * (managedFields and all) until it ends.
   */
  public synchronized List<Written> reconcileOnce() {
    evaluated = 0;
    List<Written> written = new ArrayList<>();
    if (!state.synced()) {
      return written;
    }
    Instant now = clock.instant();
    long generation = state.generation(); // before the cache is read: a later event moves it
    // The NodePools' versions too (a handful): the informer stores an object before its event
    // moves the generation, and a NodePool edit is what drifts every NodeClaim at once.
    Map<String, String> poolVersions = new java.util.HashMap<>();
    state.nodePools().forEach(p -> poolVersions.put(p.getMetadata().getName(), version(p)));
    if (generation == walkedGeneration
        && unrecorded.isEmpty()
        && now.isBefore(nextDue)
        && poolVersions.equals(walkedPools)) {
      return written;
    }
    walks++;
    boolean allUpToDate = true;
    Instant earliest = Instant.MAX;
    Set<String> podEventNodes = podEvents.changedNodes(state);
    Map<String, NodePool> pools =
        state.nodePools().stream()
            .collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity()));
    // By name, each claim read from the cache when its turn comes: a walk that writes is a round
    // trip per written claim (minutes, for thousands of newly registered claims under load), and a
    // list of the cached objects taken at its start pinned every version replaced meanwhile (7,313
    // stale NodeClaims in a 50,000-pod run's heap, 2026-12-05).
    for (String key : state.nodeClaimNames()) {
      NodeClaim cached = state.nodeClaim(key).orElse(null);
      if (cached == null
          || cached.getMetadata().getDeletionTimestamp() != null
          || cached.getStatus() == null) {
        continue;
      }
      String poolName =
          cached.getMetadata().getLabels() == null
              ? null
              : cached.getMetadata().getLabels().get(WellKnownLabels.NODE_POOL);
      NodePool pool = poolName == null ? null : pools.get(poolName);
      if (pool == null || pool.getSpec() == null || pool.getSpec().getTemplate() == null) {
        continue;
      }
      String name = cached.getMetadata().getName();
      Optional<Node> node = nodeOf(cached);
      String nodeName = node.map(n -> n.getMetadata().getName()).orElse(null);
      if (nodeName != null && podEventNodes.contains(nodeName)) {
        unrecorded.put(name, now);
      }
      String claimVersion = version(cached);
      String nodeVersion = node.map(NodeClaimDisruptionController::version).orElse("");
      String poolVersion = version(pool);
      UpToDate known = upToDate.get(name);
      if (known != null
          && !unrecorded.containsKey(name)
          && known.holds(claimVersion, nodeVersion, poolVersion, now)) {
        earliest = known.due().isBefore(earliest) ? known.due() : earliest;
        continue; // nothing it depends on changed, no timer due
      }
      evaluated++;
      upToDate.remove(name);
      NodeClaim claim = copy(cached);
      boolean changed = false;
      Instant event = unrecorded.get(name);
      if (event != null) {
        // A pod scheduled to or left the node: its consolidateAfter clock restarts (upstream's
        // podevents controller), and Consolidatable goes in the same write below.
        claim.getStatus().setLastPodEventTime(event.toString());
        changed = true;
      }
      driftUnknown = false;
      changed |= markDrifted(claim, pool);
      changed |= markConsolidatable(claim, pool, now);
      if (!changed && !driftUnknown) {
        // up to date; written claims are looked at again when their new version arrives
        Instant due = due(claim, pool, now);
        upToDate.put(name, new UpToDate(claimVersion, nodeVersion, poolVersion, due));
        earliest = due.isBefore(earliest) ? due : earliest;
      } else {
        allUpToDate = false;
      }
      if (changed) {
        Optional<NodeClaim> w = write(claim);
        w.ifPresent(x -> written.add(new Written(name, version(x))));
        if (w.isPresent() || state.nodeClaim(name).isEmpty()) {
          unrecorded.remove(name);
        }
      }
    }
    unrecorded.keySet().removeIf(n -> state.nodeClaim(n).isEmpty());
    Set<String> live = new java.util.HashSet<>();
    for (NodeClaim c : state.nodeClaims()) {
      live.add(
          c.getMetadata().getUid() != null ? c.getMetadata().getUid() : c.getMetadata().getName());
    }
    drift.retainOnly(live);
    upToDate.keySet().removeIf(n -> state.nodeClaim(n).isEmpty());
    // A claim written, or whose drift the provider could not tell, is looked at again next pass
    // (a written claim's new version moves the generation anyway; an unanswered one does not).
    walkedGeneration = allUpToDate ? generation : -1;
    walkedPools = poolVersions;
    nextDue = earliest;
    return written;
  }

  /**
   * Passes that walked the NodeClaims and scanned the pods for pod events (a pass with no cluster
   * event since a walk that left every NodeClaim up to date, and no timer due, walks nothing).
   */
  public synchronized long walks() {
    return walks;
  }

  /** How many NodeClaims the last pass checked (the others were up to date). */
  public synchronized long evaluatedLastPass() {
    return evaluated;
  }

  private static String version(io.fabric8.kubernetes.api.model.HasMetadata obj) {
    String v = obj.getMetadata().getResourceVersion();
    return v == null ? "" : v;
  }

  /**
   * When a NodeClaim found up to date must be checked again though nothing changed: when the
   * provider's drift answer is to be asked again, or its consolidateAfter ends.
   */
  private Instant due(NodeClaim claim, NodePool pool, Instant now) {
    Instant due = now.plus(options.driftRecheck());
    Optional<Instant> consolidatable = consolidatableAt(claim, pool);
    if (consolidatable.isPresent()
        && consolidatable.get().isAfter(now)
        && consolidatable.get().isBefore(due)) {
      due = consolidatable.get();
    }
    return due;
  }

  private boolean markDrifted(NodeClaim claim, NodePool pool) {
    List<Condition> conditions = claim.getStatus().getConditions();
    if (!dev.dovetail.kube.Conditions.isTrue(conditions, Conditions.LAUNCHED)) {
      return removeCondition(claim, Conditions.DRIFTED);
    }
    DriftDetector.Verdict verdict = drift.check(claim, nodeOf(claim), pool);
    if (verdict.unknown()) {
      driftUnknown = true; // asked again next pass
      LOG.warn(
          "NodeClaim {}: the provider could not tell whether it drifted ({}); Drifted left as is",
          claim.getMetadata().getName(),
          verdict.error().toString());
      return false;
    }
    if (!verdict.drifted()) {
      return removeCondition(claim, Conditions.DRIFTED);
    }
    return dev.dovetail.kube.Conditions.set(
        conditions,
        Conditions.DRIFTED,
        true,
        verdict.reason(),
        "NodeClaim drifted: " + verdict.reason(),
        claim.getMetadata().getGeneration(),
        clock.instant());
  }

  private boolean markConsolidatable(NodeClaim claim, NodePool pool, Instant now) {
    List<Condition> conditions = claim.getStatus().getConditions();
    Optional<Instant> at = consolidatableAt(claim, pool);
    if (at.isEmpty() || now.isBefore(at.get())) {
      return removeCondition(claim, Conditions.CONSOLIDATABLE);
    }
    return dev.dovetail.kube.Conditions.set(
        conditions,
        Conditions.CONSOLIDATABLE,
        true,
        Conditions.CONSOLIDATABLE,
        "",
        claim.getMetadata().getGeneration(),
        now);
  }

  /**
   * When the NodeClaim becomes consolidatable: its consolidateAfter after it was initialized or its
   * last pod event, whichever is later; empty when not initialized or under {@code Never}.
   */
  private static Optional<Instant> consolidatableAt(NodeClaim claim, NodePool pool) {
    List<Condition> conditions = claim.getStatus().getConditions();
    Optional<Duration> after = consolidateAfter(pool);
    Optional<Instant> initialized =
        dev.dovetail.kube.Conditions.isTrue(conditions, Conditions.INITIALIZED)
            ? dev.dovetail.kube.Conditions.transitionTime(conditions, Conditions.INITIALIZED)
            : Optional.empty();
    if (after.isEmpty() || initialized.isEmpty()) {
      return Optional.empty();
    }
    Instant since = initialized.get();
    String lastPodEvent = claim.getStatus().getLastPodEventTime();
    if (lastPodEvent != null) {
      try {
        Instant t = Instant.parse(lastPodEvent);
        since = t.isAfter(since) ? t : since;
      } catch (RuntimeException e) {
        // an unparseable time is ignored; initialization time stands
      }
    }
    return Optional.of(since.plus(after.get()));
  }

  /** The NodePool's consolidateAfter; empty for {@code Never} (or an invalid value). */
  static Optional<Duration> consolidateAfter(NodePool pool) {
    var d = pool.getSpec().getDisruption();
    if (d == null || d.getConsolidateAfter() == null) {
      return Optional.of(Duration.ZERO);
    }
    try {
      return Durations.parse(d.getConsolidateAfter());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean removeCondition(NodeClaim claim, String type) {
    List<Condition> conditions = claim.getStatus().getConditions();
    return conditions != null && conditions.removeIf(c -> type.equals(c.getType()));
  }

  private Optional<Node> nodeOf(NodeClaim claim) {
    String pid = claim.getStatus().getProviderID();
    return pid == null ? Optional.empty() : state.nodeByProviderId(pid);
  }

  private Optional<NodeClaim> write(NodeClaim claim) {
    try {
      return Optional.of(client.resource(claim).updateStatus());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        return Optional.empty(); // changed or gone meanwhile: the next pass sees the new copy
      }
      if (Thread.currentThread().isInterrupted()) {
        // the operator is stopping: end the walk here rather than fail every write left in it
        throw new java.util.concurrent.CancellationException("stopped while writing conditions");
      }
      LOG.warn("writing NodeClaim {} conditions: {}", claim.getMetadata().getName(), e.toString());
      return Optional.empty();
    }
  }

  /** A deep copy: the cached object belongs to the informer. */
  private NodeClaim copy(NodeClaim c) {
    NodeClaim out = io.fabric8.kubernetes.client.utils.Serialization.clone(c);
    if (out.getStatus().getConditions() == null) {
      out.getStatus().setConditions(new ArrayList<>());
    } else {
      out.getStatus().setConditions(new ArrayList<>(out.getStatus().getConditions()));
    }
    return out;
  }
}
