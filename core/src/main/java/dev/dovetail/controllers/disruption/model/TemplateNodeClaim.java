package dev.dovetail.controllers.disruption.model;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.NodePoolTemplate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A NodeClaim planned from a NodePool's template alone, with no pods: what a static NodePool
 * launches (upstream's static provisioning and StaticDrift).
 */
public final class TemplateNodeClaim {
  private TemplateNodeClaim() {}

  /** A node like the NodePool's template would launch now, with every compatible instance type. */
  public static Optional<NewNodeClaim> of(NodePoolTemplate pool, String hostname) {
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
            hostname,
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
