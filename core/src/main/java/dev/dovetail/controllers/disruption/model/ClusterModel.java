package dev.dovetail.controllers.disruption.model;

import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.SchedulingPod;
import java.util.List;
import java.util.Map;

/**
 * Everything a disruption pass looks at, without Kubernetes types.
 *
 * @param nodes every node and in-flight NodeClaim with its pods, as the scheduling engine sees them
 * @param nodePools the NodePools replacements may come from
 * @param candidates the nodes Dovetail manages and could disrupt
 * @param policies each NodePool's disruption settings, by name
 * @param pools each NodePool's node counts, by name
 * @param pendingPods pods waiting for a node and nominated nowhere: consolidation must not take the
 *     capacity they would get (upstream simulates them with the candidates' pods)
 */
public record ClusterModel(
    List<ExistingNode> nodes,
    List<NodePoolTemplate> nodePools,
    List<Candidate> candidates,
    Map<String, PoolPolicy> policies,
    Map<String, PoolCounts> pools,
    List<SchedulingPod> pendingPods) {

  public ClusterModel {
    nodes = List.copyOf(nodes);
    nodePools = List.copyOf(nodePools);
    candidates = List.copyOf(candidates);
    policies = Map.copyOf(policies);
    pools = Map.copyOf(pools);
    pendingPods = pendingPods == null ? List.of() : List.copyOf(pendingPods);
  }

  /** A cluster with no pending pods. */
  public ClusterModel(
      List<ExistingNode> nodes,
      List<NodePoolTemplate> nodePools,
      List<Candidate> candidates,
      Map<String, PoolPolicy> policies,
      Map<String, PoolCounts> pools) {
    this(nodes, nodePools, candidates, policies, pools, List.of());
  }

  public ClusterModel withPendingPods(List<SchedulingPod> pending) {
    return new ClusterModel(nodes, nodePools, candidates, policies, pools, pending);
  }

  public ClusterModel withCandidates(List<Candidate> cs) {
    return new ClusterModel(nodes, nodePools, cs, policies, pools, pendingPods);
  }

  /**
   * @param totalNodes nodes the pool has (budget percentages are of this)
   * @param disrupting nodes of the pool already being disrupted or deleted
   * @param evictionsLeft pods voluntary disruption may still move in the current eviction-rate
   *     window ({@link Integer#MAX_VALUE} when unlimited)
   */
  public record PoolCounts(int totalNodes, int disrupting, int evictionsLeft) {}

  public PoolPolicy policy(String pool) {
    PoolPolicy p = policies.get(pool);
    return p == null ? PoolPolicy.defaults(pool) : p;
  }

  public PoolCounts counts(String pool) {
    PoolCounts c = pools.get(pool);
    return c == null ? new PoolCounts(0, 0, Integer.MAX_VALUE) : c;
  }
}
