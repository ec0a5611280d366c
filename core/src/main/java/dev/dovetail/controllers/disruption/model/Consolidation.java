package dev.dovetail.controllers.disruption.model;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.SchedulingResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What multi-node and single-node consolidation share (upstream's {@code consolidation} type):
 * which candidates they may touch, and whether deleting some candidates, with at most one cheaper
 * replacement, keeps every pod and clears the NodePools' savings bars.
 */
final class Consolidation {
  private final Simulation simulation;
  private final DisruptionPlanner.Options options;

  Consolidation(Simulation simulation, DisruptionPlanner.Options options) {
    this.simulation = simulation;
    this.options = options;
  }

  /** Candidates consolidation may touch, cheapest to disrupt first; records why others are not. */
  List<Candidate> candidates(ClusterModel model, Instant now, Map<String, String> rejected) {
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : Simulation.sorted(model.candidates())) {
      PoolPolicy policy = model.policy(c.nodePool());
      if (c.empty()) {
        continue; // emptiness' business
      }
      if (policy.isStatic()) {
        continue; // static NodePools are never consolidated
      }
      if (c.blocked()) {
        rejected.putIfAbsent(c.nodeClaim(), c.blockedReason());
      } else if (!policy.consolidatesUnderutilized()) {
        rejected.putIfAbsent(
            c.nodeClaim(), "consolidationPolicy is " + policy.consolidationPolicy());
      } else if (!policy.consolidatable(c, now)) {
        rejected.putIfAbsent(c.nodeClaim(), Simulation.notYetConsolidatable(policy));
      } else {
        out.add(c);
      }
    }
    return out;
  }

  record Evaluation(Command command, String why) {}

  /**
   * Whether {@link #evaluate} certainly finds no command for these candidates, known without a
   * solve (see {@link Simulation#moreThanOneNewNodeHolds}); false says nothing.
   */
  boolean certainlyNoCommand(ClusterModel model, List<Candidate> candidates) {
    return simulation.moreThanOneNewNodeHolds(model, candidates);
  }

  /** Whether deleting the candidates, with at most one cheaper replacement, keeps every pod. */
  Evaluation evaluate(ClusterModel model, List<Candidate> candidates, Method method) {
    SchedulingResult r = simulation.without(model, candidates);
    if (!r.unschedulable().isEmpty()) {
      return new Evaluation(null, Simulation.unschedulableWhy(r));
    }
    double before = 0;
    boolean allSpot = true;
    for (Candidate c : candidates) {
      before += c.price();
      allSpot &= c.spot();
    }
    if (r.newNodeClaims().isEmpty()) {
      String unbalanced = balancedRejection(model, candidates, before, 0);
      if (unbalanced != null) {
        return new Evaluation(null, unbalanced);
      }
      return new Evaluation(
          new Command(method, candidates, List.of(), before, 0, Map.of(), r.placements()), null);
    }
    if (r.newNodeClaims().size() > 1) {
      SchedulingResult one = simulation.withoutOnOneNewNode(model, candidates, r, before);
      if (one == null || !one.unschedulable().isEmpty() || one.newNodeClaims().size() != 1) {
        return new Evaluation(
            null, "its pods would need " + r.newNodeClaims().size() + " new nodes, not one");
      }
      r = one;
    }
    NewNodeClaim plan = r.newNodeClaims().get(0);
    Requirements reqs = plan.requirements();
    boolean spotToSpot =
        allSpot && ReplacementPrices.allows(reqs, WellKnownLabels.CAPACITY_TYPE_SPOT);
    if (spotToSpot) {
      if (!options.spotToSpot()) {
        return new Evaluation(null, "spot-to-spot consolidation is disabled");
      }
      reqs = ReplacementPrices.spotOnly(reqs);
    }
    // Several nodes replaced by one of a candidate's own type: it must be cheaper than that node,
    // or deleting the others alone saves as much and moves fewer pods.
    double ceiling =
        candidates.size() > 1
            ? Math.min(
                before, ReplacementPrices.sameTypeCeiling(candidates, plan.instanceTypeOptions()))
            : before;
    // Never replace with something not cheaper: keep only options whose worst launch price is.
    List<Priced> cheaper = new ArrayList<>();
    for (InstanceType it : plan.instanceTypeOptions()) {
      OptionalDouble worst = ReplacementPrices.worstLaunchPrice(it, reqs);
      Optional<Offering> o = it.cheapestOffering(reqs);
      if (worst.isPresent() && o.isPresent() && worst.getAsDouble() < ceiling - 1e-9) {
        cheaper.add(new Priced(it, o.get()));
      }
    }
    if (cheaper.isEmpty()) {
      return new Evaluation(
          null,
          ceiling < before
              ? String.format(
                  "no replacement cheaper than $%.4f/h, the cheapest candidate of a type the"
                      + " replacement could be",
                  ceiling)
              : String.format(
                  "no replacement cheaper than $%.4f/h at its worst launch price (cheapest fit"
                      + " $%.4f/h)",
                  before, plan.cheapestPrice()));
    }
    cheaper.sort(Comparator.comparingDouble(p -> p.offering.price()));
    int floor =
        plan.minValuesRelaxed()
            ? 0
            : ReplacementPrices.minValuesPrefix(reqs, cheaper.stream().map(Priced::type).toList());
    if (floor < 0) {
      return new Evaluation(null, "the cheaper replacements do not meet the NodePool's minValues");
    }
    if (spotToSpot && candidates.size() == 1) {
      if (cheaper.size() < DisruptionPlanner.MIN_SPOT_TO_SPOT_TYPES) {
        return new Evaluation(
            null,
            "spot-to-spot needs "
                + DisruptionPlanner.MIN_SPOT_TO_SPOT_TYPES
                + " cheaper instance types, found "
                + cheaper.size());
      }
      // Launch among the 15 cheapest, as upstream does, so the replacement is not the next node
      // to be reclaimed only because it is the single cheapest pool. Several spot nodes replaced
      // by one need no such flexibility (upstream's multi-node path).
      // With minValues, as many as meeting them takes if that is more (upstream).
      cheaper = cheaper.subList(0, Math.max(DisruptionPlanner.MIN_SPOT_TO_SPOT_TYPES, floor));
    } else if (!spotToSpot && ReplacementPrices.allowsSpotAndOnDemand(reqs)) {
      // Priced as spot (the launch order prefers it), so held to spot: a spot shortage then fails
      // the launch and leaves the node alone instead of launching a dearer on-demand node.
      Requirements spot = ReplacementPrices.spotOnly(reqs);
      List<Priced> held = new ArrayList<>();
      for (Priced p : cheaper) {
        p.type().cheapestOffering(spot).ifPresent(o -> held.add(new Priced(p.type(), o)));
      }
      if (held.isEmpty()) {
        return new Evaluation(null, "no cheaper replacement has a spot offering to hold it to");
      }
      held.sort(Comparator.comparingDouble(p -> p.offering.price()));
      if (!plan.minValuesRelaxed()
          && ReplacementPrices.minValuesPrefix(spot, held.stream().map(Priced::type).toList())
              < 0) {
        return new Evaluation(
            null, "the cheaper spot replacements do not meet the NodePool's minValues");
      }
      cheaper = held;
      reqs = spot;
    }
    double after = cheaper.get(0).offering.price();
    String pool = candidates.get(0).nodePool();
    for (Candidate c : candidates) {
      PoolPolicy policy = model.policy(c.nodePool());
      if (!policy.savesEnough(before, after)) {
        return new Evaluation(
            null,
            String.format(
                "saving $%.4f/h (%.1f%%) is below NodePool %s's minimumSavings",
                before - after, (before - after) / before * 100, c.nodePool()));
      }
    }
    String unbalanced = balancedRejection(model, candidates, before, after);
    if (unbalanced != null) {
      return new Evaluation(null, unbalanced);
    }
    NewNodeClaim narrowed = narrow(plan, reqs, cheaper);
    return new Evaluation(
        new Command(method, candidates, List.of(narrowed), before, after, Map.of(), r.placements()),
        null);
  }

  private record Priced(InstanceType type, Offering offering) {}

  /**
   * The Balanced policy: a move is worth it only when the share of the NodePool's cost it saves is
   * at least 1/k of the share of the NodePool's disruption cost it causes (k = 2).
   */
  private static String balancedRejection(
      ClusterModel model, List<Candidate> candidates, double before, double after) {
    Map<String, double[]> move = new HashMap<>(); // pool -> {price, disruption}
    for (Candidate c : candidates) {
      if ("Balanced".equals(model.policy(c.nodePool()).consolidationPolicy())) {
        double[] m = move.computeIfAbsent(c.nodePool(), k -> new double[2]);
        m[0] += c.price();
        m[1] += c.disruptionCost();
      }
    }
    for (Map.Entry<String, double[]> e : move.entrySet()) {
      double poolCost = 0;
      double poolDisruption = 0;
      for (Candidate c : model.candidates()) {
        if (e.getKey().equals(c.nodePool())) {
          poolCost += c.price();
          poolDisruption += c.disruptionCost();
        }
      }
      double share = before == 0 ? 0 : e.getValue()[0] / before;
      double saved = (before - after) * share;
      double savingsFraction = poolCost == 0 ? 0 : saved / poolCost;
      double disruptionFraction = poolDisruption == 0 ? 0 : e.getValue()[1] / poolDisruption;
      if (disruptionFraction > 0
          && savingsFraction / disruptionFraction
              < 1.0 / dev.dovetail.apis.v1.ConsolidationPolicy.BALANCED_K) {
        return String.format(
            "Balanced: saves %.1f%% of NodePool %s's cost for %.1f%% of its disruption cost"
                + " (score %.2f < 1/%d)",
            savingsFraction * 100,
            e.getKey(),
            disruptionFraction * 100,
            savingsFraction / disruptionFraction,
            dev.dovetail.apis.v1.ConsolidationPolicy.BALANCED_K);
      }
    }
    return null;
  }

  private static NewNodeClaim narrow(
      NewNodeClaim plan, Requirements requirements, List<Priced> options) {
    List<InstanceType> types = options.stream().map(Priced::type).toList();
    List<String> names = types.stream().map(InstanceType::name).toList();
    var reqs =
        requirements
            .without(WellKnownLabels.INSTANCE_TYPE)
            .and(Requirement.in(WellKnownLabels.INSTANCE_TYPE, names));
    return new NewNodeClaim(
        plan.hostname(),
        plan.nodePool(),
        reqs,
        types,
        plan.labels(),
        plan.taints(),
        plan.startupTaints(),
        plan.podIds(),
        plan.requests(),
        options.get(0).offering.price(),
        plan.minValuesRelaxed());
  }
}
