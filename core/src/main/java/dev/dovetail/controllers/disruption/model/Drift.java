package dev.dovetail.controllers.disruption.model;

import dev.dovetail.scheduling.SchedulingResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's Drift: replaces nodes of dynamic NodePools whose NodeClaim is {@code Drifted}. Empty
 * drifted nodes go together without replacement; otherwise the cheapest-to-disrupt drifted node
 * whose pods can be rescheduled (on existing capacity or replacements) is replaced, whether or not
 * that is cheaper.
 */
public final class Drift implements DisruptionMethod {
  private final Simulation simulation;

  Drift(Simulation simulation) {
    this.simulation = simulation;
  }

  @Override
  public Method method() {
    return Method.DRIFT;
  }

  @Override
  public boolean validated() {
    return false;
  }

  @Override
  public Optional<Command> computeCommand(
      ClusterModel model, Instant now, Map<String, String> rejected) {
    List<Candidate> drifted = new ArrayList<>();
    for (Candidate c : model.candidates()) {
      if (c.driftReason() == null || model.policy(c.nodePool()).isStatic()) {
        continue;
      }
      if (c.blocked()) {
        rejected.put(c.nodeClaim(), "drifted (" + c.driftReason() + ") but " + c.blockedReason());
      } else {
        drifted.add(c);
      }
    }
    if (drifted.isEmpty()) {
      return Optional.empty();
    }
    drifted.sort(Comparator.comparingDouble(Candidate::disruptionCost));
    Budget budget = new Budget(model, Method.DRIFT, now);
    // Empty drifted nodes go together; they need no replacement.
    List<Candidate> empty = new ArrayList<>();
    for (Candidate c : drifted) {
      if (c.empty() && budget.take(c, rejected)) {
        empty.add(c);
      }
    }
    if (!empty.isEmpty()) {
      return Optional.of(Simulation.deleteCommand(Method.DRIFT, empty));
    }
    for (Candidate c : drifted) {
      if (!budget.allows(c, rejected)) {
        continue;
      }
      SchedulingResult r = simulation.without(model, List.of(c));
      if (!r.unschedulable().isEmpty()) {
        rejected.put(c.nodeClaim(), "drifted but " + Simulation.unschedulableWhy(r));
        continue;
      }
      return Optional.of(
          new Command(
              Method.DRIFT,
              List.of(c),
              r.newNodeClaims(),
              c.price(),
              r.newNodesCostPerHour(),
              Map.of(),
              r.placements()));
    }
    return Optional.empty();
  }
}
