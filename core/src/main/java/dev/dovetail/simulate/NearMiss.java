package dev.dovetail.simulate;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * For a pod nothing can hold, the closest instance type: the cheapest one that fails exactly one
 * check, named with that check ("fits m7g.large except kubernetes.io/arch: ..."), so a person knows
 * which single change would place the pod.
 */
final class NearMiss {
  private static final Set<String> FILLED_LATER =
      Set.of(WellKnownLabels.HOSTNAME, WellKnownLabels.NODE_POOL);

  private NearMiss() {}

  static Optional<String> explain(SchedulingPod pod, List<NodePoolTemplate> pools) {
    String best = null;
    double bestPrice = Double.POSITIVE_INFINITY;
    for (NodePoolTemplate pool : pools) {
      String taint = untolerated(pool.taints(), pod.tolerations());
      for (InstanceType it : pool.instanceTypes()) {
        double price = cheapest(it);
        if (price >= bestPrice) {
          continue;
        }
        List<String> failures = new ArrayList<>();
        if (taint != null) {
          failures.add("NodePool " + pool.name() + " taint " + taint + " is not tolerated");
        }
        Resources need = pod.requests();
        for (SchedulingPod ds : pool.daemonSets()) {
          need = need.add(ds.requests());
        }
        if (!need.fitsIn(it.allocatable())) {
          failures.add("resources: needs " + need + ", allocatable " + it.allocatable());
        }
        Optional<String> excluded = it.requirements().compatible(pool.requirements(), FILLED_LATER);
        if (excluded.isPresent()) {
          // The NodePool cannot launch this type; it is a near miss only if the pod could run on
          // it.
          if (requirementFailure(it.requirements(), pod).isPresent()) {
            continue;
          }
          failures.add("the NodePool's requirements exclude it (" + excluded.get() + ")");
        } else {
          requirementFailure(it.requirements().and(pool.requirements()), pod)
              .ifPresent(failures::add);
        }
        if (it.availableOfferings().isEmpty()) {
          failures.add("no offering of it is available");
        }
        if (failures.size() == 1) {
          best = "fits " + it.name() + " (NodePool " + pool.name() + ") except " + failures.get(0);
          bestPrice = price;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  private static Optional<String> requirementFailure(Requirements node, SchedulingPod pod) {
    Requirements selector = Requirements.none();
    for (Map.Entry<String, String> e : pod.nodeSelector().entrySet()) {
      selector = selector.and(Requirement.in(e.getKey(), e.getValue()));
    }
    Optional<String> bySelector = node.compatible(selector, FILLED_LATER);
    if (bySelector.isPresent()) {
      return Optional.of("nodeSelector: " + bySelector.get());
    }
    if (!pod.requiredNodeAffinity().isEmpty()) {
      String first = null;
      for (Requirements term : pod.requiredNodeAffinity()) {
        Optional<String> f = node.compatible(term, FILLED_LATER);
        if (f.isEmpty()) {
          return Optional.empty();
        }
        first = first == null ? f.get() : first;
      }
      return Optional.of("required node affinity: " + first);
    }
    return Optional.empty();
  }

  private static String untolerated(List<Taint> taints, List<Toleration> tolerations) {
    for (Taint t : taints) {
      boolean ok = tolerations.stream().anyMatch(tol -> tol.tolerates(t));
      if (!ok) {
        return t.key() + (t.value() == null ? "" : "=" + t.value()) + ":" + t.effect();
      }
    }
    return null;
  }

  private static double cheapest(InstanceType it) {
    double p = Double.POSITIVE_INFINITY;
    for (var o : it.offerings()) {
      p = Math.min(p, o.price());
    }
    return p;
  }
}
