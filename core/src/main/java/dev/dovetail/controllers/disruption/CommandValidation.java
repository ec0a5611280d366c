package dev.dovetail.controllers.disruption;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.controllers.disruption.model.Candidate;
import dev.dovetail.controllers.disruption.model.ClusterModel;
import dev.dovetail.controllers.disruption.model.Command;
import dev.dovetail.controllers.disruption.model.DisruptionMethod;
import dev.dovetail.controllers.disruption.model.DisruptionPlanner;
import dev.dovetail.state.ClusterState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whether a planned command still holds on the cluster as it is now: after the validation delay
 * (planned again on the same candidates) and just before its candidates' pods are evicted (every
 * candidate still safe to disrupt, every pod still fitting on what remains). Upstream's {@code
 * Validator}.
 */
final class CommandValidation {
  private final DisruptionPlanner planner;
  private final ModelBuilder models;
  private final DisruptionSafety safety;
  private final ClusterState state;

  CommandValidation(
      DisruptionPlanner planner, ModelBuilder models, DisruptionSafety safety, ClusterState state) {
    this.planner = planner;
    this.models = models;
    this.safety = safety;
    this.state = state;
  }

  /**
   * The same method on the same nodes, planned again on the current cluster: still valid only if it
   * takes exactly the same candidates (and, for consolidation, still saves).
   */
  Optional<Command> revalidate(Command cmd, ClusterModel model, Instant now) {
    Set<String> wanted = new HashSet<>();
    cmd.candidates().forEach(c -> wanted.add(c.nodeClaim()));
    ClusterModel prepared = planner.prepare(model);
    List<Candidate> fresh = new ArrayList<>();
    for (Candidate c : prepared.candidates()) {
      if (wanted.contains(c.nodeClaim())) {
        fresh.add(c);
      }
    }
    if (fresh.size() != wanted.size()) {
      return Optional.empty();
    }
    ClusterModel only = prepared.withCandidates(fresh);
    Map<String, String> rejected = new HashMap<>();
    Optional<DisruptionMethod> method = planner.method(cmd.method());
    if (method.isEmpty()) {
      return Optional.of(cmd);
    }
    Optional<Command> again = method.get().recompute(only, now, rejected);
    if (again.isEmpty() || again.get().candidates().size() != wanted.size()) {
      return Optional.empty();
    }
    if (cmd.method().consolidation() && again.get().priceAfter() > cmd.priceAfter() + 1e-9) {
      return Optional.empty();
    }
    return Optional.of(again.get().withRejected(cmd.rejected()));
  }

  /**
   * Upstream's validation, done once more just before the candidates' pods are evicted (their
   * replacements are ready): every candidate is still there and still safe to disrupt (no
   * do-not-disrupt, PDB or uncontrolled pod appeared meanwhile), and every pod on them now fits on
   * the remaining capacity, replacements included, with pending pods and the pods of other
   * in-flight commands taking their room first. Empty when the command may go on; otherwise why
   * not. Drift is not re-checked, as upstream: a drifted node goes anyway.
   *
   * @param context the controller's context now (read only when the command is re-checked: it lists
   *     the PDBs)
   */
  Optional<String> beforeEviction(Command cmd, Supplier<ModelBuilder.Context> context) {
    boolean validated = planner.method(cmd.method()).map(DisruptionMethod::validated).orElse(false);
    if (!validated) {
      return Optional.empty();
    }
    ModelBuilder.Context ctx = context.get();
    ModelBuilder.Built built = models.build(ctx);
    ClusterModel model = planner.prepare(built.model());
    Map<String, Candidate> byClaim = new HashMap<>();
    model.candidates().forEach(c -> byClaim.put(c.nodeClaim(), c));
    List<Candidate> fresh = new ArrayList<>();
    for (Candidate planned : cmd.candidates()) {
      Candidate c = byClaim.get(planned.nodeClaim());
      NodeClaim claim = built.claimsByName().get(planned.nodeClaim());
      Optional<io.fabric8.kubernetes.api.model.Node> node = state.node(planned.node());
      if (c == null || claim == null || node.isEmpty()) {
        return Optional.of(planned.nodeClaim() + " is no longer a candidate");
      }
      List<io.fabric8.kubernetes.api.model.Pod> pods = new ArrayList<>();
      c.pods().forEach(p -> pods.add(built.podsById().get(p.id())));
      pods.removeIf(java.util.Objects::isNull);
      String block = safety.block(node.get(), claim, pods, ctx.pdbs());
      if (block != null) {
        return Optional.of(planned.nodeClaim() + " may no longer be disrupted: " + block);
      }
      fresh.add(c);
    }
    var result = planner.simulate(model, fresh);
    for (Candidate c : fresh) {
      for (var pod : c.pods()) {
        if (!result.placements().containsKey(pod.id())) {
          return Optional.of(
              "pod "
                  + pod.id()
                  + " on "
                  + c.node()
                  + " no longer fits on the remaining capacity"
                  + (result.unschedulable().containsKey(pod.id())
                      ? " (" + result.unschedulable().get(pod.id()) + ")"
                      : ""));
        }
      }
    }
    return Optional.empty();
  }
}
