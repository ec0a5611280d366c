package dev.dovetail.controllers.disruption.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's Emptiness: deletes empty, consolidatable nodes of dynamic NodePools, as many at once
 * as the {@code Empty} budgets allow, without replacement. Runs first (upstream HEAD's order).
 */
public final class Emptiness implements DisruptionMethod {
  @Override
  public Method method() {
    return Method.EMPTINESS;
  }

  @Override
  public Optional<Command> computeCommand(
      ClusterModel model, Instant now, Map<String, String> rejected) {
    Budget budget = new Budget(model, Method.EMPTINESS, now);
    List<Candidate> take = new ArrayList<>();
    for (Candidate c : Simulation.sorted(model.candidates())) {
      if (!c.empty()) {
        continue;
      }
      PoolPolicy policy = model.policy(c.nodePool());
      if (policy.isStatic()) {
        continue; // static NodePools keep their replicas: never consolidated
      }
      if (c.blocked()) {
        rejected.put(c.nodeClaim(), "empty but " + c.blockedReason());
      } else if (!policy.consolidatable(c, now)) {
        rejected.put(c.nodeClaim(), Simulation.notYetConsolidatable(policy));
      } else if (budget.take(c, rejected)) {
        take.add(c);
      }
    }
    return take.isEmpty()
        ? Optional.empty()
        : Optional.of(Simulation.deleteCommand(Method.EMPTINESS, take));
  }
}
