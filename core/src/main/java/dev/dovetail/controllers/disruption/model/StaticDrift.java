package dev.dovetail.controllers.disruption.model;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.NodePoolTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
      Optional<NewNodeClaim> replacement = pool.flatMap(p -> replacement(p, c));
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

  /** A node like the NodePool's template would launch now, with every compatible instance type. */
  static Optional<NewNodeClaim> replacement(NodePoolTemplate pool, Candidate c) {
    Requirements reqs = pool.requirements();
    record Priced(InstanceType type, Offering offering) {}
    List<Priced> options = new ArrayList<>();
    for (InstanceType it : pool.instanceTypes()) {
      Requirements own =
          Requirements.of(reqs.all().stream().filter(r -> it.requirements().has(r.key())).toList());
      if (!it.requirements().isCompatible(own, Set.of())) {
        continue;
      }
      it.cheapestOffering(reqs).ifPresent(o -> options.add(new Priced(it, o)));
    }
    if (options.isEmpty()) {
      return Optional.empty();
    }
    options.sort(Comparator.comparingDouble(p -> p.offering().price()));
    return Optional.of(
        new NewNodeClaim(
            "static-drift-" + c.nodeClaim(),
            pool.name(),
            reqs,
            options.stream().map(Priced::type).toList(),
            pool.labels(),
            pool.taints(),
            pool.startupTaints(),
            List.of(),
            Resources.EMPTY,
            options.get(0).offering().price()));
  }
}
