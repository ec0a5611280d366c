package dev.dovetail.controllers.disruption.model;

import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingInput;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps consolidation off the capacity pending pods are about to get. Before any method runs, the
 * pending pods (with the pods of nodes already being disrupted, which are about to move too) are
 * placed on the existing capacity alone: a candidate that would receive one is not a candidate
 * ("pending pods would fit on it": deleting it would only buy the node again), and the pending pods
 * that existing capacity holds stay in every simulation, so a consolidation cannot move other pods
 * into their room. Pending pods that need new capacity anyway are the provisioner's business and
 * left out.
 */
final class PendingCapacity {
  static final String WOULD_FIT = "pending pods would fit on it";

  private final Scheduler scheduler;
  private final SchedulingOptions options;

  /**
   * @param options the operator's scheduling policies ({@code --preference-policy}, {@code
   *     --min-values-policy}): pending pods are placed as the provisioner would place them
   */
  PendingCapacity(Scheduler scheduler, SchedulingOptions options) {
    this.scheduler = scheduler;
    this.options = options;
  }

  /** The model with the candidates pending pods need blocked and only placeable pending pods. */
  ClusterModel reserve(ClusterModel model) {
    if (model.pendingPods().isEmpty()) {
      return model;
    }
    List<SchedulingPod> pods = new ArrayList<>(model.pendingPods());
    pods.addAll(Simulation.podsOfDisruptingNodes(model, Set.of()));
    SchedulingResult r =
        scheduler.solve(new SchedulingInput(pods, model.nodes(), List.of(), options));
    Map<String, Integer> pendingOn = new HashMap<>();
    Set<String> pendingIds = new HashSet<>();
    model.pendingPods().forEach(p -> pendingIds.add(p.id()));
    List<SchedulingPod> placeable = new ArrayList<>();
    for (SchedulingPod p : model.pendingPods()) {
      String node = r.placements().get(p.id());
      if (node != null) {
        placeable.add(p);
        pendingOn.merge(node, 1, Integer::sum);
      }
    }
    List<Candidate> candidates = new ArrayList<>();
    for (Candidate c : model.candidates()) {
      Integer n = pendingOn.get(c.node());
      candidates.add(n == null || c.blocked() ? c : c.withBlockedReason(n + " " + WOULD_FIT));
    }
    return model.withCandidates(candidates).withPendingPods(placeable);
  }
}
