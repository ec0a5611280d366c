package dev.dovetail.simulate;

import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.controllers.disruption.ModelBuilder;
import dev.dovetail.controllers.disruption.model.Candidate;
import dev.dovetail.controllers.disruption.model.ClusterModel;
import dev.dovetail.controllers.disruption.model.Command;
import dev.dovetail.controllers.disruption.model.DisruptionPlanner;
import dev.dovetail.controllers.disruption.model.ModelUpdates;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.simulate.SimulationReport.Kept;
import dev.dovetail.simulate.SimulationReport.Removal;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The questions beyond {@code provision}: {@code consolidate} runs the disruption controller's own
 * model ({@link ModelBuilder}) and planner ({@link DisruptionPlanner}) to a fixed point; {@code
 * remove-node} re-plans one node's pods; {@code nodepool-change} compares the cost of the managed
 * workload under the current and the edited NodePools.
 */
public final class Questions {
  private final Simulator simulator;

  public Questions(Simulator simulator) {
    this.simulator = simulator;
  }

  /** Which nodes consolidation would remove or replace, the savings, and why each other is kept. */
  public SimulationReport consolidate(Manifests m) {
    SimulationInput in = SimulationInput.of(m, simulator.provider(), simulator.now());
    Simulator.Solved before = simulator.solve(in);
    ClusterModel model = model(in);
    // no wall-clock limits: a question about a cluster from files gets the same answer each time
    DisruptionPlanner planner =
        new DisruptionPlanner(new Scheduler(), DisruptionPlanner.Options.DEFAULT.withoutTimeouts());
    List<Removal> removals = new ArrayList<>();
    Map<String, String> lastRejected = new LinkedHashMap<>();
    Set<String> removed = new LinkedHashSet<>();
    double cost = ModelUpdates.cost(model);
    // Budgets count per pass in the controller; a simulation asks where it converges, so it runs
    // pass after pass until no method finds anything more (bounded by the number of candidates).
    for (int guard = 0; guard <= model.candidates().size() + 1; guard++) {
      Optional<Command> cmd = planner.plan(model, simulator.now());
      lastRejected.putAll(planner.lastRejected());
      if (cmd.isEmpty()) {
        break;
      }
      Command c = cmd.get();
      List<String> replacements = new ArrayList<>();
      for (NewNodeClaim r : c.replacements()) {
        InstanceType it = r.instanceTypeOptions().get(0);
        replacements.add(it.name() + " ($" + Simulator.round(r.cheapestPrice()) + "/h)");
      }
      for (Candidate cand : c.candidates()) {
        removed.add(cand.node());
        removals.add(
            new Removal(
                cand.node(),
                c.replacements().isEmpty() ? "delete" : "replace",
                c.method().toString(),
                cand.price(),
                replacements,
                c.describe()));
      }
      model = ModelUpdates.apply(model, c, simulator.now());
    }
    List<Kept> kept = new ArrayList<>();
    for (Candidate cand : model(in).candidates()) {
      if (removed.contains(cand.node())) {
        continue;
      }
      String reason =
          cand.blocked()
              ? cand.blockedReason()
              : lastRejected.getOrDefault(
                  cand.nodeClaim(), "no cheaper placement of its pods was found");
      kept.add(new Kept(cand.node(), reason));
    }
    double after = ModelUpdates.cost(model);
    SimulationReport base =
        simulator.report("consolidate", before, in.notes(), removals, kept, null);
    return new SimulationReport(
        base.question(),
        Simulator.round(after),
        Simulator.round(cost),
        base.pods(),
        base.nodeClaims(),
        base.unschedulable(),
        base.nodes(),
        base.removals(),
        base.kept(),
        null,
        base.notes());
  }

  /** Where a node's pods would go if it were removed, or what blocks its removal. */
  public SimulationReport removeNode(Manifests m, String nodeName) {
    Node node =
        m.nodes().stream()
            .filter(n -> nodeName.equals(n.getMetadata().getName()))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("no node named " + nodeName + " in the input"));
    SimulationInput current = SimulationInput.of(m, simulator.provider(), simulator.now());
    Optional<Candidate> cand =
        model(current).candidates().stream().filter(c -> c.node().equals(nodeName)).findFirst();
    String blocked = cand.map(Candidate::blockedReason).orElse(null);
    double price = cand.map(Candidate::price).orElse(0.0);

    Manifests without = m.withoutNodesAndPods(m.nodePools());
    for (Node n : m.nodes()) {
      if (n != node) {
        without.nodes().add(n);
      }
    }
    int lost = 0;
    for (Pod p : m.pods()) {
      if (p.getSpec() != null && nodeName.equals(p.getSpec().getNodeName())) {
        if (isDaemon(p)) {
          continue; // goes with the node
        }
        if (!controlled(p)) {
          lost++;
          continue; // nothing recreates it
        }
        Pod moved = Serialization.clone(p);
        moved.getSpec().setNodeName(null);
        without.pods().add(moved);
      } else {
        without.pods().add(p);
      }
    }
    SimulationInput in = SimulationInput.of(without, simulator.provider(), simulator.now());
    Simulator.Solved s = simulator.solve(in);
    String reason;
    if (blocked != null) {
      reason = "blocked: " + blocked;
    } else if (s.result().unschedulable().isEmpty() && s.claims().isEmpty()) {
      reason = "its pods fit on the other nodes";
    } else if (s.result().unschedulable().isEmpty()) {
      reason =
          "its pods need "
              + s.claims().size()
              + " new NodeClaim(s) at $"
              + Simulator.round(s.newCost())
              + "/h";
    } else {
      reason = s.result().unschedulable().size() + " of its pods could not be placed anywhere";
    }
    if (lost > 0) {
      reason += "; " + lost + " pod(s) without a controller would be lost";
    }
    List<String> replacements =
        s.claims().stream().map(c -> c.instanceType() + " ($" + c.pricePerHour() + "/h)").toList();
    Removal removal =
        new Removal(
            nodeName,
            blocked == null ? (s.claims().isEmpty() ? "delete" : "replace") : "blocked",
            "remove-node",
            price,
            replacements,
            reason);
    return simulator.report("remove-node", s, in.notes(), List.of(removal), List.of(), null);
  }

  /**
   * The cost and node count of the managed workload (pending pods and the pods on NodePool nodes)
   * placed from scratch under the current NodePools and under the edited ones.
   */
  public SimulationReport nodePoolChange(Manifests m, List<NodePool> edited) {
    Manifests before = fromScratch(m, m.nodePools());
    List<NodePool> pools = new ArrayList<>();
    for (NodePool p : m.nodePools()) {
      pools.add(
          edited.stream()
              .filter(e -> e.getMetadata().getName().equals(p.getMetadata().getName()))
              .findFirst()
              .orElse(p));
    }
    for (NodePool e : edited) {
      if (pools.stream()
          .noneMatch(p -> p.getMetadata().getName().equals(e.getMetadata().getName()))) {
        pools.add(e);
      }
    }
    Manifests after = fromScratch(m, pools);
    SimulationInput inBefore = SimulationInput.of(before, simulator.provider(), simulator.now());
    SimulationInput inAfter = SimulationInput.of(after, simulator.provider(), simulator.now());
    Simulator.Solved b = simulator.solve(inBefore);
    Simulator.Solved a = simulator.solve(inAfter);
    SimulationReport.Change change =
        new SimulationReport.Change(
            Simulator.round(b.newCost()),
            Simulator.round(a.newCost()),
            b.claims().size(),
            a.claims().size(),
            b.result().unschedulable().size(),
            a.result().unschedulable().size());
    return simulator.report("nodepool-change", a, inAfter.notes(), List.of(), List.of(), change);
  }

  /** The input with the NodePool-managed nodes gone and their pods pending again. */
  private static Manifests fromScratch(Manifests m, List<NodePool> pools) {
    Manifests out = m.withoutNodesAndPods(pools);
    Set<String> managed = new LinkedHashSet<>();
    for (Node n : m.nodes()) {
      if (n.getMetadata().getLabels() != null
          && n.getMetadata()
              .getLabels()
              .containsKey(dev.dovetail.cloudprovider.WellKnownLabels.NODE_POOL)) {
        managed.add(n.getMetadata().getName());
      } else {
        out.nodes().add(n);
      }
    }
    for (Pod p : m.pods()) {
      String on = p.getSpec() == null ? null : p.getSpec().getNodeName();
      if (on != null && managed.contains(on)) {
        if (isDaemon(p)) {
          continue;
        }
        Pod moved = Serialization.clone(p);
        moved.getSpec().setNodeName(null);
        out.pods().add(moved);
      } else {
        out.pods().add(p);
      }
    }
    return out;
  }

  private ClusterModel model(SimulationInput in) {
    ModelBuilder builder = new ModelBuilder(in.cluster(), in.cloud(), false);
    return builder
        .build(
            new ModelBuilder.Context(
                simulator.now(),
                in.cluster().podDisruptionBudgets(),
                Set.of(),
                Map.of(),
                false,
                Map.of()))
        .model();
  }

  private static boolean isDaemon(Pod p) {
    return p.getMetadata().getOwnerReferences() != null
        && p.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> "DaemonSet".equals(o.getKind()));
  }

  private static boolean controlled(Pod p) {
    return p.getMetadata().getOwnerReferences() != null
        && p.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> Boolean.TRUE.equals(o.getController()));
  }
}
