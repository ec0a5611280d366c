package dev.dovetail.controllers.disruption.model;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.SchedulingPod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a command to a model as if it had been carried out: candidates gone, their pods on the
 * nodes the simulation chose, replacements running. Used to plan several commands in one go ({@code
 * simulate}, benchmarks) without a cluster.
 */
public final class ModelUpdates {
  private ModelUpdates() {}

  public static ClusterModel apply(ClusterModel model, Command cmd, Instant now) {
    Set<String> gone = new HashSet<>();
    Map<String, SchedulingPod> moving = new HashMap<>();
    for (Candidate c : cmd.candidates()) {
      gone.add(c.node());
      for (SchedulingPod p : c.pods()) {
        moving.put(p.id(), p);
      }
    }
    // Pods arrive in the candidates' order, not the placements map's: that map is immutable
    // (Map.copyOf), and such a map's iteration order changes from JVM to JVM (a per-run salt). The
    // order of a node's pods is the order later simulations place them in, so iterating the map
    // made the same cluster reach different fixed points in different runs (5,000 nodes: 2,950 or
    // 2,957).
    Map<String, List<SchedulingPod>> arriving = new HashMap<>();
    for (Candidate c : cmd.candidates()) {
      for (SchedulingPod p : c.pods()) {
        String node = cmd.placements().get(p.id());
        if (node != null && moving.get(p.id()) == p) {
          arriving.computeIfAbsent(node, k -> new ArrayList<>()).add(p);
        }
      }
    }
    List<ExistingNode> nodes = new ArrayList<>();
    for (ExistingNode n : model.nodes()) {
      if (gone.contains(n.name())) {
        continue;
      }
      List<SchedulingPod> extra = arriving.get(n.name());
      nodes.add(extra == null ? n : withPods(n, extra));
    }
    List<Candidate> candidates = new ArrayList<>();
    for (Candidate c : model.candidates()) {
      if (gone.contains(c.node())) {
        continue;
      }
      List<SchedulingPod> extra = arriving.get(c.node());
      if (extra == null) {
        candidates.add(c);
      } else {
        List<SchedulingPod> pods = new ArrayList<>(c.pods());
        pods.addAll(extra);
        candidates.add(
            new Candidate(
                c.nodeClaim(),
                c.node(),
                c.nodePool(),
                c.instanceType(),
                c.capacityType(),
                c.zone(),
                c.price(),
                pods,
                now,
                c.driftReason(),
                c.blockedReason(),
                c.disruptionCost() + extra.size()));
      }
    }
    int i = 0;
    for (NewNodeClaim r : cmd.replacements()) {
      InstanceType it = r.instanceTypeOptions().get(0);
      Offering o = it.cheapestOffering(r.requirements()).orElse(it.offerings().get(0));
      String name =
          "replacement-" + now.toEpochMilli() + "-" + (i++) + "-" + cmd.candidates().get(0).node();
      List<SchedulingPod> pods = new ArrayList<>();
      for (String id : r.podIds()) {
        SchedulingPod p = moving.get(id);
        if (p != null) {
          pods.add(p);
        }
      }
      Map<String, String> labels = new LinkedHashMap<>(r.labels());
      labels.putAll(it.requirements().singleValueLabels());
      labels.put(WellKnownLabels.INSTANCE_TYPE, it.name());
      labels.put(WellKnownLabels.ZONE, o.zone());
      labels.put(WellKnownLabels.CAPACITY_TYPE, o.capacityType());
      labels.put(WellKnownLabels.NODE_POOL, r.nodePool());
      labels.put(WellKnownLabels.HOSTNAME, name);
      ExistingNode node =
          new ExistingNode(
              name,
              labels,
              r.taints(),
              it.allocatable(),
              Resources.EMPTY,
              List.of(),
              false,
              false,
              r.nodePool());
      nodes.add(withPods(node, pods));
      candidates.add(
          new Candidate(
              name,
              name,
              r.nodePool(),
              it.name(),
              o.capacityType(),
              o.zone(),
              o.price(),
              pods,
              now,
              null,
              "just launched",
              pods.size()));
    }
    Map<String, ClusterModel.PoolCounts> counts = new HashMap<>(model.pools());
    for (Candidate c : cmd.candidates()) {
      ClusterModel.PoolCounts pc = model.counts(c.nodePool());
      counts.put(
          c.nodePool(),
          new ClusterModel.PoolCounts(
              pc.totalNodes(),
              counts.get(c.nodePool()) == null ? 1 : counts.get(c.nodePool()).disrupting() + 1,
              pc.evictionsLeft() == Integer.MAX_VALUE
                  ? Integer.MAX_VALUE
                  : Math.max(0, counts.get(c.nodePool()).evictionsLeft() - c.pods().size())));
    }
    return new ClusterModel(
        nodes, model.nodePools(), candidates, model.policies(), counts, model.pendingPods());
  }

  private static ExistingNode withPods(ExistingNode n, List<SchedulingPod> extra) {
    List<SchedulingPod> pods = new ArrayList<>(n.pods());
    pods.addAll(extra);
    Resources requested = n.requested();
    long count = requested.has(Resources.PODS) ? requested.get(Resources.PODS) : n.pods().size();
    for (SchedulingPod p : extra) {
      requested = requested.add(p.requests());
    }
    Map<String, Long> m = new HashMap<>(requested.asMap());
    m.put(Resources.PODS, count + extra.size());
    return new ExistingNode(
        n.name(),
        n.labels(),
        n.taints(),
        n.allocatable(),
        Resources.of(m),
        pods,
        n.inFlight(),
        n.markedForDeletion(),
        n.nodePool());
  }

  /** What the managed nodes cost per hour. */
  public static double cost(ClusterModel model) {
    double sum = 0;
    for (Candidate c : model.candidates()) {
      sum += c.price();
    }
    return sum;
  }
}
