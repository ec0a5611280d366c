package dev.dovetail.controllers.disruption;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.disruption.model.Candidate;
import dev.dovetail.controllers.disruption.model.ClusterModel;
import dev.dovetail.controllers.disruption.model.PoolPolicy;
import dev.dovetail.kube.Conditions;
import dev.dovetail.kube.Durations;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.state.ClusterSnapshot;
import dev.dovetail.state.ClusterView;
import dev.dovetail.state.PodUtils;
import dev.dovetail.state.SnapshotBuilder;
import dev.dovetail.translate.NodePoolTranslator;
import dev.dovetail.translate.PodTranslations;
import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the cluster's shared {@link ClusterSnapshot} into a Kubernetes-free {@link ClusterModel}:
 * every node with its pods (for the engine), each managed node as a disruption {@link Candidate}
 * with its price, drift reason and the safety rule that blocks it, and each NodePool's parsed
 * disruption settings. The disruption controller feeds it the live cluster; {@code dovetail
 * simulate} a cluster from files.
 */
public final class ModelBuilder {
  private final ClusterView state;
  private final CloudProviderFacade cloud;
  private final PodTranslator podTranslator;
  private final NodePoolTranslator poolTranslator;
  private final SnapshotBuilder snapshots;
  private final DisruptionSafety safety;

  public ModelBuilder(ClusterView state, CloudProviderFacade cloud, boolean allowUncontrolledPods) {
    this(state, cloud, allowUncontrolledPods, null);
  }

  /**
   * @param translations the pod translations shared with the other controllers (null: this builder
   *     translates every pod itself)
   */
  public ModelBuilder(
      ClusterView state,
      CloudProviderFacade cloud,
      boolean allowUncontrolledPods,
      PodTranslations translations) {
    this.state = state;
    this.cloud = cloud;
    this.podTranslator = new PodTranslator(translations);
    this.poolTranslator = new NodePoolTranslator(podTranslator);
    this.snapshots = new SnapshotBuilder(state, cloud, podTranslator);
    this.safety = new DisruptionSafety(allowUncontrolledPods);
  }

  /**
   * What the controller knows beyond the API: which nodes it is already disrupting, etc. {@code
   * consolidatableFromCondition}: the live cluster's nodeclaim/disruption controller writes {@code
   * Consolidatable} and it is read; a cluster from files ({@code dovetail simulate}) has no such
   * controller, so the same rule (initialized or last pod event plus consolidateAfter) is applied
   * to its timestamps.
   */
  public record Context(
      Instant now,
      List<PodDisruptionBudget> pdbs,
      Set<String> disruptingClaims,
      Map<String, String> blockedClaims,
      boolean consolidatableFromCondition,
      Map<String, Integer> evictionsUsed) {}

  /** The model plus what leads back from engine names to API objects. */
  public record Built(
      ClusterModel model,
      Map<String, NodeClaim> claimsByName,
      Map<String, NodePool> poolsByName,
      Map<String, Pod> podsById,
      List<Skipped> skipped) {}

  /**
   * A decision this pass could not make safely and left out (a provider or API failure), with the
   * object it concerns, so the controller says so instead of reading it as "nothing to do".
   */
  public record Skipped(
      io.fabric8.kubernetes.api.model.HasMetadata about, String reason, String message) {}

  public Built build(Context given) {
    List<Skipped> skipped = new ArrayList<>();
    Map<String, NodePool> pools = new LinkedHashMap<>();
    Map<String, List<InstanceType>> typesByPool = new HashMap<>();
    Set<String> failedPools = new HashSet<>();
    for (NodePool pool : state.nodePools()) {
      if (pool.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      pools.put(pool.getMetadata().getName(), pool);
      SnapshotBuilder.PoolTypes types = snapshots.instanceTypes(pool);
      typesByPool.put(pool.getMetadata().getName(), types.types());
      if (types.failed()) {
        // Not "no instance types": the pool's nodes are neither priced nor disrupted this pass,
        // and no replacement is planned into it.
        failedPools.add(pool.getMetadata().getName());
        skipped.add(new Skipped(pool, "InstanceTypesFailed", types.failure()));
      }
    }
    Context ctx = blockPools(given, failedPools);
    ClusterSnapshot cluster = snapshots.build(typesByPool);

    List<Candidate> candidates = new ArrayList<>();
    Map<String, Pod> podsById = new HashMap<>();
    Map<String, int[]> counts = new HashMap<>(); // pool -> {total, disrupting}
    for (ClusterSnapshot.RegisteredNode rn : cluster.nodes()) {
      Node node = rn.node();
      NodeClaim claim = rn.claim();
      ExistingNode en = rn.existing();
      String poolName = labels(node.getMetadata()).get(WellKnownLabels.NODE_POOL);
      if (claim == null || poolName == null || !pools.containsKey(poolName)) {
        continue;
      }
      boolean disrupting =
          en.markedForDeletion() || ctx.disruptingClaims().contains(claim.getMetadata().getName());
      int[] cnt = counts.computeIfAbsent(poolName, k -> new int[2]);
      cnt[0]++;
      if (disrupting) {
        cnt[1]++;
      }
      if (!Conditions.isTrue(
          claim.getStatus() == null ? null : claim.getStatus().getConditions(),
          Karpenter.Conditions.INITIALIZED)) {
        continue; // not a candidate before it is initialized
      }
      candidates.add(
          candidate(
              ctx,
              node,
              claim,
              pools.get(poolName),
              typesByPool.get(poolName),
              rn.pods(),
              disrupting,
              podsById));
    }

    // In-flight NodeClaims hold the capacity planned onto them.
    for (ClusterSnapshot.InFlightClaim c : cluster.inFlight()) {
      String pool = labels(c.claim().getMetadata()).get(WellKnownLabels.NODE_POOL);
      if (pool != null) {
        counts.computeIfAbsent(pool, k -> new int[2])[0]++;
      }
    }

    List<NodePoolTemplate> templates = new ArrayList<>();
    Map<String, PoolPolicy> policies = new HashMap<>();
    Map<String, ClusterModel.PoolCounts> poolCounts = new HashMap<>();
    for (NodePool pool : pools.values()) {
      String name = pool.getMetadata().getName();
      // Static pools' templates are in the model for StaticDrift's 1:1 replacements; the
      // simulation never places pods on new nodes of them.
      if (!failedPools.contains(name) && cloud.nodeClassResolvable(pool)) {
        templates.add(
            poolTranslator.translate(pool, typesByPool.get(name), cluster.daemonSetPods(), null));
      }
      PoolPolicy policy = PoolPolicies.of(pool);
      policies.put(name, policy);
      int[] cnt = counts.getOrDefault(name, new int[2]);
      int evictionsLeft =
          policy.evictionLimit() <= 0
              ? Integer.MAX_VALUE
              : Math.max(0, policy.evictionLimit() - ctx.evictionsUsed().getOrDefault(name, 0));
      poolCounts.put(name, new ClusterModel.PoolCounts(cnt[0], cnt[1], evictionsLeft));
    }
    return new Built(
        new ClusterModel(cluster.existingNodes(), templates, candidates, policies, poolCounts)
            .withPendingPods(new PendingPods(state, podTranslator).list()),
        new HashMap<>(cluster.claimsByName()),
        pools,
        podsById,
        List.copyOf(skipped));
  }

  /** The context with every NodeClaim of the given pools blocked for this pass. */
  private Context blockPools(Context ctx, Set<String> poolNames) {
    if (poolNames.isEmpty()) {
      return ctx;
    }
    Map<String, String> blocked = new HashMap<>(ctx.blockedClaims());
    for (NodeClaim claim : state.nodeClaims()) {
      String pool = labels(claim.getMetadata()).get(WellKnownLabels.NODE_POOL);
      if (pool != null && poolNames.contains(pool)) {
        blocked.putIfAbsent(
            claim.getMetadata().getName(), "its NodePool's instance types could not be listed");
      }
    }
    return new Context(
        ctx.now(),
        ctx.pdbs(),
        ctx.disruptingClaims(),
        blocked,
        ctx.consolidatableFromCondition(),
        ctx.evictionsUsed());
  }

  private Candidate candidate(
      Context ctx,
      Node node,
      NodeClaim claim,
      NodePool pool,
      List<InstanceType> types,
      List<Pod> podsOnNode,
      boolean disrupting,
      Map<String, Pod> podsById) {
    Map<String, String> labels = labels(node.getMetadata());
    String claimName = claim.getMetadata().getName();
    String type = labels.get(WellKnownLabels.INSTANCE_TYPE);
    String zone = labels.get(WellKnownLabels.ZONE);
    String capacityType = labels.get(WellKnownLabels.CAPACITY_TYPE);
    double price = price(types, type, zone, capacityType);

    List<SchedulingPod> moving = new ArrayList<>();
    List<Pod> movingPods = new ArrayList<>();
    boolean hasNominated = false;
    for (Pod p : podsOnNode) {
      if (!PodUtils.isBound(p)) {
        hasNominated = true;
      }
      if (reschedulable(p)) {
        SchedulingPod sp = podTranslator.translate(p);
        moving.add(sp);
        movingPods.add(p);
        podsById.put(sp.id(), p);
      }
    }

    String blocked = null;
    if (disrupting) {
      blocked = "already being disrupted";
    } else if (ctx.blockedClaims().containsKey(claimName)) {
      blocked = ctx.blockedClaims().get(claimName);
    } else if (hasNominated) {
      blocked = "pods are nominated to it";
    } else {
      blocked = safety.block(node, claim, movingPods, ctx.pdbs());
    }

    Instant since = consolidatableSince(claim, ctx.consolidatableFromCondition());
    String drift = blocked != null && disrupting ? null : driftReason(claim);
    return new Candidate(
        claimName,
        node.getMetadata().getName(),
        pool.getMetadata().getName(),
        type,
        capacityType,
        zone,
        price,
        moving,
        since,
        drift,
        blocked,
        disruptionCost(movingPods, claim, ctx.now()));
  }

  /** Pods that would need a new home: not DaemonSet or mirror pods, not finished or leaving. */
  static boolean reschedulable(Pod p) {
    return !PodUtils.isTerminal(p)
        && !PodUtils.isTerminating(p)
        && !PodUtils.isOwnedBy(p, "DaemonSet")
        && !PodUtils.isOwnedBy(p, "Node")
        && !annotations(p.getMetadata()).containsKey("kubernetes.io/config.mirror");
  }

  /**
   * Read from the {@code Consolidatable} condition the nodeclaim/disruption controller writes (True
   * once {@code consolidateAfter} has passed since initialization or the last pod event, as
   * upstream): null while it is not True. When True, the later of initialization and the last pod
   * event, so a pod event the condition has not caught up with yet still holds the node back.
   */
  private static Instant consolidatableSince(NodeClaim claim, boolean fromCondition) {
    var conditions = claim.getStatus().getConditions();
    if (fromCondition && !Conditions.isTrue(conditions, Karpenter.Conditions.CONSOLIDATABLE)) {
      return null;
    }
    Instant since =
        Conditions.transitionTime(conditions, Karpenter.Conditions.INITIALIZED).orElse(null);
    if (since == null) {
      return null;
    }
    String last = claim.getStatus().getLastPodEventTime();
    if (last != null) {
      try {
        Instant t = Instant.parse(last);
        since = t.isAfter(since) ? t : since;
      } catch (RuntimeException e) {
        // unparseable: initialization stands (the condition controller reads it the same way)
      }
    }
    return since;
  }

  /**
   * The {@code Drifted} condition's reason when it is True: the nodeclaim/disruption controller
   * decides drift, as upstream's does; the disruption pass only reads it.
   */
  private static String driftReason(NodeClaim claim) {
    if (claim.getStatus() == null) {
      return null;
    }
    return Conditions.get(claim.getStatus().getConditions(), Karpenter.Conditions.DRIFTED)
        .filter(c -> "True".equals(c.getStatus()))
        .map(c -> c.getReason() == null || c.getReason().isEmpty() ? "Drifted" : c.getReason())
        .orElse(null);
  }

  /**
   * Upstream's disruption cost: per pod 1 plus its deletion cost and priority, scaled down, times
   * the share of the node's lifetime that remains (a node near expiry is cheap to disrupt).
   */
  private static double disruptionCost(List<Pod> pods, NodeClaim claim, Instant now) {
    double cost = 0;
    for (Pod p : pods) {
      double c = 1;
      String dc = annotations(p.getMetadata()).get("controller.kubernetes.io/pod-deletion-cost");
      if (dc != null) {
        try {
          c += Double.parseDouble(dc) / Math.pow(2, 27);
        } catch (NumberFormatException ignored) {
          // not a number: ignored, as the ReplicaSet controller does
        }
      }
      if (p.getSpec() != null && p.getSpec().getPriority() != null) {
        c += p.getSpec().getPriority() / Math.pow(2, 25);
      }
      cost += Math.max(-10, Math.min(10, c));
    }
    String expire = claim.getSpec() == null ? null : claim.getSpec().getExpireAfter();
    if (expire != null
        && !"Never".equals(expire)
        && claim.getMetadata().getCreationTimestamp() != null) {
      try {
        Duration life = Durations.parse(expire).orElseThrow();
        Instant created = Instant.parse(claim.getMetadata().getCreationTimestamp());
        double remaining =
            (double) Duration.between(now, created.plus(life)).toMillis() / life.toMillis();
        cost *= Math.max(0, Math.min(1, remaining));
      } catch (RuntimeException ignored) {
        // unparseable expireAfter: the full cost
      }
    }
    return cost;
  }

  private static double price(List<InstanceType> types, String type, String zone, String ct) {
    if (types == null || type == null) {
      return 0;
    }
    for (InstanceType it : types) {
      if (it.name().equals(type)) {
        return it.price(zone, ct).orElse(0);
      }
    }
    return 0;
  }

  static Map<String, String> labels(ObjectMeta m) {
    return m == null || m.getLabels() == null ? Map.of() : m.getLabels();
  }

  static Map<String, String> annotations(ObjectMeta m) {
    return m == null || m.getAnnotations() == null ? Map.of() : m.getAnnotations();
  }
}
