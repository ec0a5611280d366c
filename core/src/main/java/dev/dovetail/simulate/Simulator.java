package dev.dovetail.simulate;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.provisioning.SchedulingInputs;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import dev.dovetail.simulate.SimulationReport.NodeBar;
import dev.dovetail.simulate.SimulationReport.PlannedNodeClaim;
import dev.dovetail.simulate.SimulationReport.PodBar;
import dev.dovetail.simulate.SimulationReport.PodResult;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers {@code dovetail simulate}'s {@code provision} question with the controller's own code:
 * the provisioner's snapshot ({@link SchedulingInputs}) of a cluster read from files, solved by the
 * same {@link Scheduler}. Nothing is written anywhere.
 */
public final class Simulator {
  private final CloudProvider provider;
  private final Instant now;

  public Simulator(CloudProvider provider, Instant now) {
    this.provider = provider;
    this.now = now;
  }

  CloudProvider provider() {
    return provider;
  }

  Instant now() {
    return now;
  }

  /** What would be launched for the pending pods, where each pod goes, and at what price. */
  public SimulationReport provision(Manifests m) {
    SimulationInput in = SimulationInput.of(m, provider, now);
    Solved s = solve(in);
    return report("provision", s, in.notes(), List.of(), List.of(), null);
  }

  /** One solve of the pending pods, with what it needs to report. */
  record Solved(
      SchedulingInputs.Snapshot snapshot,
      SchedulingResult result,
      List<PlannedNodeClaim> claims,
      Map<String, PodResult> podResults,
      List<NodeBar> bars,
      double existingCost) {
    double newCost() {
      return claims.stream().mapToDouble(PlannedNodeClaim::pricePerHour).sum();
    }
  }

  Solved solve(SimulationInput in) {
    SchedulingInputs inputs = new SchedulingInputs(in.cluster(), in.cloud());
    SchedulingInputs.Snapshot snap = inputs.snapshot(in.pending());
    SchedulingResult result = new Scheduler().solve(snap.input());

    Map<String, SchedulingPod> byId = new HashMap<>();
    snap.input().pods().forEach(p -> byId.put(p.id(), p));
    Map<String, PodResult> results = new LinkedHashMap<>();
    List<PlannedNodeClaim> claims = new ArrayList<>();
    List<NodeBar> bars = new ArrayList<>();
    Map<String, Integer> seq = new HashMap<>();
    for (NewNodeClaim c : result.newNodeClaims()) {
      String name =
          c.nodePool() + "-" + String.format("%04d", seq.merge(c.nodePool(), 1, Integer::sum));
      InstanceType it = c.instanceTypeOptions().get(0);
      Optional<Offering> o = it.cheapestOffering(c.requirements());
      String zone = o.map(Offering::zone).orElse(null);
      String ct = o.map(Offering::capacityType).orElse(null);
      double price = o.map(Offering::price).orElse(c.cheapestPrice());
      List<String> podNames = new ArrayList<>();
      List<PodBar> podBars = new ArrayList<>();
      for (String id : c.podIds()) {
        podNames.add(id);
        Pod pod = snap.pods().get(id);
        results.put(id, placed(pod, null, name, it.name(), zone, ct));
        podBars.add(bar(id, byId.get(id)));
      }
      claims.add(
          new PlannedNodeClaim(name, c.nodePool(), it.name(), zone, ct, round(price), podNames));
      bars.add(
          new NodeBar(
              name,
              true,
              c.nodePool(),
              it.name(),
              round(price),
              it.allocatable().get(Resources.CPU),
              it.allocatable().get(Resources.MEMORY),
              podBars));
    }
    Map<String, List<String>> placedOn = new HashMap<>();
    for (Map.Entry<String, String> e : result.placements().entrySet()) {
      placedOn.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
    }
    Map<String, Double> prices = nodePrices(snap);
    double existing = 0;
    for (ExistingNode n : snap.input().nodes()) {
      List<PodBar> podBars = new ArrayList<>();
      for (SchedulingPod p : n.pods()) {
        podBars.add(bar(p.id(), p));
      }
      for (String id : placedOn.getOrDefault(n.name(), List.of())) {
        Pod pod = snap.pods().get(id);
        results.put(
            id,
            placed(
                pod,
                n.name(),
                null,
                n.labels().get(WellKnownLabels.INSTANCE_TYPE),
                n.labels().get(WellKnownLabels.ZONE),
                n.labels().get(WellKnownLabels.CAPACITY_TYPE)));
        podBars.add(bar(id, byId.get(id)));
      }
      double price = prices.getOrDefault(n.name(), 0.0);
      existing += price;
      bars.add(
          new NodeBar(
              n.name(),
              false,
              n.nodePool(),
              n.labels().get(WellKnownLabels.INSTANCE_TYPE),
              round(price),
              n.allocatable().get(Resources.CPU),
              n.allocatable().get(Resources.MEMORY),
              podBars));
    }
    // Pods alike (same requests and node constraints) share a near miss: computed once per kind.
    Map<String, Optional<String>> nearMisses = new HashMap<>();
    for (Map.Entry<String, String> e : result.unschedulable().entrySet()) {
      Pod pod = snap.pods().get(e.getKey());
      String reason = e.getValue();
      SchedulingPod sp = byId.get(e.getKey());
      if (sp != null) {
        String kind =
            sp.requests()
                + "|"
                + sp.nodeSelector()
                + "|"
                + sp.requiredNodeAffinity()
                + "|"
                + sp.tolerations();
        Optional<String> near =
            nearMisses.computeIfAbsent(kind, k -> NearMiss.explain(sp, snap.input().nodePools()));
        if (near.isPresent()) {
          reason = reason + "; closest: " + near.get();
        }
      }
      results.put(
          e.getKey(),
          new PodResult(
              ns(pod), pod.getMetadata().getName(), null, null, null, null, null, reason));
    }
    // Pods in the snapshot's order (the order of the files).
    Map<String, PodResult> ordered = new LinkedHashMap<>();
    for (String id : snap.pods().keySet()) {
      PodResult r = results.get(id);
      if (r != null) {
        ordered.put(id, r);
      }
    }
    return new Solved(snap, result, claims, ordered, bars, round(existing));
  }

  SimulationReport report(
      String question,
      Solved s,
      List<String> notes,
      List<SimulationReport.Removal> removals,
      List<SimulationReport.Kept> kept,
      SimulationReport.Change change) {
    return new SimulationReport(
        question,
        round(s.newCost()),
        s.existingCost(),
        List.copyOf(s.podResults().values()),
        s.claims(),
        s.result().unschedulable().size(),
        s.bars(),
        removals,
        kept,
        change,
        notes);
  }

  /** Each existing node's price, from its NodePool's (or any NodePool's) instance types. */
  static Map<String, Double> nodePrices(SchedulingInputs.Snapshot snap) {
    Map<String, Map<String, InstanceType>> byPool = new HashMap<>();
    Map<String, InstanceType> any = new HashMap<>();
    for (NodePoolTemplate t : snap.input().nodePools()) {
      Map<String, InstanceType> m = new HashMap<>();
      for (InstanceType it : t.instanceTypes()) {
        m.put(it.name(), it);
        any.putIfAbsent(it.name(), it);
      }
      byPool.put(t.name(), m);
    }
    Map<String, Double> prices = new HashMap<>();
    for (ExistingNode n : snap.input().nodes()) {
      String type = n.labels().get(WellKnownLabels.INSTANCE_TYPE);
      InstanceType it =
          byPool
              .getOrDefault(n.nodePool() == null ? "" : n.nodePool(), Map.of())
              .getOrDefault(type, any.get(type));
      if (it == null) {
        continue;
      }
      String zone = n.labels().get(WellKnownLabels.ZONE);
      String ct = n.labels().getOrDefault(WellKnownLabels.CAPACITY_TYPE, "on-demand");
      it.price(zone, ct).ifPresent(p -> prices.put(n.name(), p));
    }
    return prices;
  }

  private static PodResult placed(
      Pod pod, String node, String claim, String type, String zone, String ct) {
    return new PodResult(ns(pod), pod.getMetadata().getName(), node, claim, type, zone, ct, null);
  }

  private static PodBar bar(String id, SchedulingPod p) {
    return p == null
        ? new PodBar(id, 0, 0)
        : new PodBar(id, p.requests().get(Resources.CPU), p.requests().get(Resources.MEMORY));
  }

  static String ns(Pod p) {
    return WorkloadPods.ns(p);
  }

  static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
