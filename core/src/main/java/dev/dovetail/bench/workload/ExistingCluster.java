package dev.dovetail.bench.workload;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A running cluster made from a solve: every planned NodeClaim becomes a ready node of its cheapest
 * option, in a zone and capacity type its requirements allow, with its pods bound to it.
 */
public final class ExistingCluster {
  private ExistingCluster() {}

  /** The nodes that {@code result}'s claims become, with {@code pods} (the solved ones) bound. */
  public static List<ExistingNode> realise(SchedulingResult result, List<SchedulingPod> pods) {
    Map<String, SchedulingPod> byId = new HashMap<>();
    for (SchedulingPod p : pods) {
      byId.put(p.id(), p);
    }
    List<ExistingNode> nodes = new ArrayList<>(result.newNodeClaims().size());
    int n = 0;
    for (NewNodeClaim c : result.newNodeClaims()) {
      String name = "existing-node-" + (n++);
      InstanceType type = c.instanceTypeOptions().get(0);
      Offering offering = cheapestOffering(type, c.requirements());
      Map<String, String> labels = new HashMap<>(c.labels());
      for (Requirement r : type.requirements().all()) {
        if (!r.complement() && r.size() == 1) {
          labels.put(r.key(), r.any());
        }
      }
      for (Requirement r : c.requirements().all()) {
        if (!r.complement() && r.size() == 1) {
          labels.put(r.key(), r.any());
        }
      }
      labels.put(WellKnownLabels.INSTANCE_TYPE, type.name());
      labels.put(WellKnownLabels.ZONE, offering.zone());
      labels.put(WellKnownLabels.CAPACITY_TYPE, offering.capacityType());
      labels.put(WellKnownLabels.NODE_POOL, c.nodePool());
      labels.put(WellKnownLabels.HOSTNAME, name);
      List<SchedulingPod> bound = new ArrayList<>(c.podIds().size());
      for (String id : c.podIds()) {
        bound.add(byId.get(id));
      }
      nodes.add(
          new ExistingNode(
              name,
              labels,
              c.taints(),
              type.allocatable(),
              c.requests(),
              bound,
              false,
              false,
              c.nodePool()));
    }
    return nodes;
  }

  /** The price of every node (its cheapest offering within its labels). */
  public static double cost(List<ExistingNode> nodes, List<InstanceType> types) {
    Map<String, InstanceType> byName = new HashMap<>();
    for (InstanceType t : types) {
      byName.put(t.name(), t);
    }
    double sum = 0;
    for (ExistingNode n : nodes) {
      InstanceType t = byName.get(n.labels().get(WellKnownLabels.INSTANCE_TYPE));
      sum += cheapestOffering(t, Requirements.fromLabels(n.labels())).price();
    }
    return sum;
  }

  private static Offering cheapestOffering(InstanceType type, Requirements reqs) {
    Offering best = null;
    for (Offering o : type.offerings()) {
      if (o.available() && o.compatibleWith(reqs) && (best == null || o.price() < best.price())) {
        best = o;
      }
    }
    if (best == null) {
      throw new IllegalStateException("no available offering of " + type.name() + " for " + reqs);
    }
    return best;
  }
}
