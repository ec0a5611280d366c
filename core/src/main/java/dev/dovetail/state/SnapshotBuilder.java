package dev.dovetail.state;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.scheduling.EphemeralTaints;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.state.ClusterSnapshot.InFlightClaim;
import dev.dovetail.state.ClusterSnapshot.RegisteredNode;
import dev.dovetail.translate.DaemonSetPods;
import dev.dovetail.translate.NodeTranslator;
import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the one {@link ClusterSnapshot} that provisioning ({@code SchedulingInputs}), disruption
 * ({@code ModelBuilder}) and {@code dovetail simulate} read: which pods occupy which node, what
 * in-flight NodeClaims hold, what each NodePool already uses. Which NodePools take part, and how a
 * failure to list their instance types is reported, stays with each caller.
 */
public final class SnapshotBuilder {
  private final ClusterView state;
  private final CloudProviderFacade cloud;
  private final PodTranslator pods;
  private final NodeTranslator nodes;
  private final SnapshotMemo memo;

  public SnapshotBuilder(ClusterView state, CloudProviderFacade cloud, PodTranslator pods) {
    this(state, cloud, pods, new SnapshotMemo());
  }

  /**
   * @param memo what earlier snapshots made of nodes and claims that have not changed since: one
   *     per caller that builds snapshot after snapshot, shared by its builders over other views of
   *     the same cluster
   */
  public SnapshotBuilder(
      ClusterView state, CloudProviderFacade cloud, PodTranslator pods, SnapshotMemo memo) {
    this.state = state;
    this.cloud = cloud;
    this.pods = pods;
    this.nodes = new NodeTranslator(pods);
    this.memo = memo;
  }

  /** A NodePool's instance types, or why they could not be listed (never read as "none"). */
  public record PoolTypes(List<InstanceType> types, String failure) {
    public boolean failed() {
      return failure != null;
    }
  }

  /** Lists the pool's instance types from the provider; a provider failure becomes a value. */
  public PoolTypes instanceTypes(NodePool pool) {
    try {
      return new PoolTypes(cloud.instanceTypes(pool), null);
    } catch (RuntimeException e) {
      return new PoolTypes(List.of(), "Listing instance types failed: " + e.getMessage());
    }
  }

  /**
   * The snapshot of the cluster now.
   *
   * @param typesByPool the instance types of the NodePools taking part, by name: an in-flight
   *     NodeClaim that has not reported its allocatable yet is sized from its pool's types
   */
  public ClusterSnapshot build(Map<String, List<InstanceType>> typesByPool) {
    synchronized (memo) {
      memo.begin(typesByPool);
      ClusterSnapshot snapshot = buildWithMemo(typesByPool);
      memo.end();
      return snapshot;
    }
  }

  private ClusterSnapshot buildWithMemo(Map<String, List<InstanceType>> typesByPool) {
    // Pods nominated to capacity they are not bound to yet still occupy it.
    Map<String, List<Pod>> nominated = state.nominatedByTarget();

    List<NodeClaim> claims = state.nodeClaims();
    Map<String, NodeClaim> claimsByName = new HashMap<>();
    Map<String, NodeClaim> claimByProviderId = new HashMap<>();
    for (NodeClaim c : claims) {
      claimsByName.put(c.getMetadata().getName(), c);
      if (c.getStatus() != null && c.getStatus().getProviderID() != null) {
        claimByProviderId.put(c.getStatus().getProviderID(), c);
      }
    }

    List<RegisteredNode> registered = new ArrayList<>();
    Set<String> registeredProviderIds = new HashSet<>();
    for (Node n : state.nodes()) {
      String name = n.getMetadata().getName();
      String pid = n.getSpec() == null ? null : n.getSpec().getProviderID();
      if (pid != null) {
        registeredProviderIds.add(pid);
      }
      NodeClaim claim = pid == null ? null : claimByProviderId.get(pid);
      List<Pod> on = new ArrayList<>();
      for (Pod p : state.podsOn(name)) {
        if (!PodUtils.isTerminal(p)) {
          on.add(p);
        }
      }
      on.addAll(nominated.getOrDefault(name, List.of()));
      // Pods nominated to the NodeClaim before its node registered count on that node now.
      if (claim != null) {
        on.addAll(nominated.getOrDefault(claim.getMetadata().getName(), List.of()));
      }
      boolean claimDeleting = claim != null && claim.getMetadata().getDeletionTimestamp() != null;
      registered.add(
          new RegisteredNode(
              n, claim, on, memo.node(n, on, claimDeleting, () -> existing(n, on, claimDeleting))));
    }

    Map<String, Resources> usage = new HashMap<>();
    List<InFlightClaim> inFlight = new ArrayList<>();
    Map<String, Map<String, InstanceType>> typesByName = new HashMap<>();
    for (NodeClaim claim : claims) {
      String pool = pool(claim);
      if (pool != null) {
        usage.merge(pool, memo.usage(claim, () -> limitUsage(claim)), Resources::add);
      }
      String pid = claim.getStatus() == null ? null : claim.getStatus().getProviderID();
      if ((pid != null && registeredProviderIds.contains(pid))
          || claim.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      ExistingNode shape =
          memo.inFlightShape(
              claim,
              pool,
              // Indexed once per pool, not once per claim: a 20,000-pod backlog has thousands of
              // claims in flight and a pool hundreds of types.
              () ->
                  nodes.inFlightShape(
                      claim,
                      pool == null
                          ? Map.of()
                          : typesByName.computeIfAbsent(
                              pool, k -> index(typesByPool.getOrDefault(k, List.of())))));
      List<SchedulingPod> planned = new ArrayList<>();
      for (Pod p : nominated.getOrDefault(claim.getMetadata().getName(), List.of())) {
        planned.add(pods.translate(p));
      }
      inFlight.add(
          new InFlightClaim(
              claim, planned.isEmpty() ? shape : NodeTranslator.withPods(shape, planned)));
    }
    return new ClusterSnapshot(
        registered, inFlight, claimsByName, usage, DaemonSetPods.of(state.daemonSets()));
  }

  private static Map<String, InstanceType> index(List<InstanceType> types) {
    Map<String, InstanceType> byName = new HashMap<>();
    for (InstanceType it : types) {
      byName.put(it.name(), it);
    }
    return byName;
  }

  private ExistingNode existing(Node n, List<Pod> on, boolean claimDeleting) {
    ExistingNode node = nodes.fromNode(n, on, claimDeleting);
    List<dev.dovetail.cloudprovider.Taint> lasting = EphemeralTaints.lasting(node.taints());
    if (lasting == node.taints()) {
      return node;
    }
    return new ExistingNode(
        node.name(),
        node.labels(),
        lasting,
        node.allocatable(),
        node.requested(),
        node.pods(),
        node.inFlight(),
        node.markedForDeletion(),
        node.nodePool());
  }

  private static String pool(NodeClaim claim) {
    return claim.getMetadata().getLabels() == null
        ? null
        : claim.getMetadata().getLabels().get(WellKnownLabels.NODE_POOL);
  }

  /**
   * What a NodeClaim counts towards its NodePool's limits: {@code status.capacity} once launched,
   * else the requests of its spec; and one node. The provisioner's own not-yet-cached claims are
   * counted by the same rule.
   */
  public static Resources limitUsage(NodeClaim claim) {
    return capacity(claim).add(Resources.of("nodes", 1L));
  }

  private static Resources capacity(NodeClaim claim) {
    if (claim.getStatus() != null && claim.getStatus().getCapacity() != null) {
      return CloudProviderFacade.resources(claim.getStatus().getCapacity());
    }
    if (claim.getSpec() != null && claim.getSpec().getResources() != null) {
      return CloudProviderFacade.resources(claim.getSpec().getResources().getRequests());
    }
    return Resources.EMPTY;
  }
}
