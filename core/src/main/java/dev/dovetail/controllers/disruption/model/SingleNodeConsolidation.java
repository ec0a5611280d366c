package dev.dovetail.controllers.disruption.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Upstream's SingleNodeConsolidation: the first underutilized node (cheapest to disrupt first) that
 * can be deleted, or replaced by one cheaper node, within a time limit (none when the timeout is
 * null).
 */
public final class SingleNodeConsolidation implements DisruptionMethod {
  private final Consolidation consolidation;
  private final Duration timeout;
  private final LongSupplier nanoTime;

  SingleNodeConsolidation(Consolidation consolidation, Duration timeout, LongSupplier nanoTime) {
    this.consolidation = consolidation;
    this.timeout = timeout;
    this.nanoTime = nanoTime;
  }

  @Override
  public Method method() {
    return Method.SINGLE_NODE_CONSOLIDATION;
  }

  @Override
  public Optional<Command> computeCommand(
      ClusterModel model, Instant now, Map<String, String> rejected) {
    List<Candidate> all = consolidation.candidates(model, now, rejected);
    Budget budget = new Budget(model, Method.SINGLE_NODE_CONSOLIDATION, now);
    long deadline = timeout == null ? 0 : nanoTime.getAsLong() + timeout.toNanos();
    for (Candidate c : all) {
      if (!budget.allows(c, rejected)) {
        continue;
      }
      if (timeout != null && nanoTime.getAsLong() > deadline) {
        rejected.put(c.nodeClaim(), "single-node consolidation timed out before reaching it");
        continue;
      }
      Consolidation.Evaluation e =
          consolidation.evaluate(model, List.of(c), Method.SINGLE_NODE_CONSOLIDATION);
      if (e.command() != null) {
        return Optional.of(e.command());
      }
      rejected.put(c.nodeClaim(), e.why());
    }
    return Optional.empty();
  }
}
