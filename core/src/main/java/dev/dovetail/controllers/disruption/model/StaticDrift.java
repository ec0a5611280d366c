package dev.dovetail.controllers.disruption.model;

import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.NodePoolTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's StaticDrift: a static NodePool's ({@code spec.replicas}) drifted nodes are replaced
 * one for one from the NodePool's current template, as many as the {@code Drifted} budgets allow,
 * with no scheduling simulation (the replica count, not the pods, decides the capacity).
 */
public final class StaticDrift implements DisruptionMethod {
  @Override
  public Method method() {
    return Method.STATIC_DRIFT;
  }

  @Override
  public boolean validated() {
    return false;
  }

  @Override
  public Optional<Command> computeCommand(
      ClusterModel model, Instant now, Map<String, String> rejected) {
    Budget budget = new Budget(model, Method.STATIC_DRIFT, now);
    List<Candidate> take = new ArrayList<>();
    List<NewNodeClaim> replacements = new ArrayList<>();
    for (Candidate c : Simulation.sorted(model.candidates())) {
      if (c.driftReason() == null || !model.policy(c.nodePool()).isStatic()) {
        continue;
      }
      if (c.blocked()) {
        rejected.put(c.nodeClaim(), "drifted (" + c.driftReason() + ") but " + c.blockedReason());
        continue;
      }
      Optional<NodePoolTemplate> pool =
          model.nodePools().stream().filter(p -> p.name().equals(c.nodePool())).findFirst();
      Optional<NewNodeClaim> replacement =
          pool.flatMap(p -> TemplateNodeClaim.of(p, "static-drift-" + c.nodeClaim()));
      if (replacement.isEmpty()) {
        rejected.put(
            c.nodeClaim(),
            "drifted but NodePool " + c.nodePool() + " offers no instance type to replace it");
        continue;
      }
      if (budget.take(c, rejected)) {
        take.add(c);
        replacements.add(replacement.get());
      }
    }
    if (take.isEmpty()) {
      return Optional.empty();
    }
    double before = take.stream().mapToDouble(Candidate::price).sum();
    double after = replacements.stream().mapToDouble(NewNodeClaim::cheapestPrice).sum();
    return Optional.of(
        new Command(Method.STATIC_DRIFT, take, replacements, before, after, Map.of()));
  }
}
