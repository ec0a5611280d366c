package dev.dovetail.controllers.disruption.model;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One voluntary disruption method (upstream's {@code disruption.Method}): {@link Emptiness}, {@link
 * StaticDrift}, {@link Drift}, {@link MultiNodeConsolidation}, {@link SingleNodeConsolidation}. The
 * {@link DisruptionPlanner} asks each in that order and takes the first command.
 */
public interface DisruptionMethod {
  /** The method's name, budget reason and metric label. */
  Method method();

  /**
   * The command this method would run on the cluster now, or empty. Candidates it looked at and did
   * not take are added to {@code rejected} with the reason.
   */
  Optional<Command> computeCommand(ClusterModel model, Instant now, Map<String, String> rejected);

  /**
   * A command of this method planned again on {@code only} its candidates, after the validation
   * delay: empty when those candidates no longer make a command together. Upstream's validation
   * simulates the same candidates again; by default this asks {@link #computeCommand} on a model
   * holding only them, which is the same question for a method that looks at candidates one at a
   * time.
   */
  default Optional<Command> recompute(
      ClusterModel only, Instant now, Map<String, String> rejected) {
    return computeCommand(only, now, rejected);
  }

  /**
   * Whether a command is re-checked after the validation delay before it runs (upstream validates
   * emptiness and consolidation, which depend on pods that may arrive meanwhile; drift does not).
   */
  default boolean validated() {
    return true;
  }
}
