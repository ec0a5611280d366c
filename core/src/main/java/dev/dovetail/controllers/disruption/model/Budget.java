package dev.dovetail.controllers.disruption.model;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Per-pool budget and eviction-rate bookkeeping within one pass. */
final class Budget {
  private final ClusterModel model;
  private final Method method;
  private final Instant now;
  private final Map<String, Integer> nodesLeft = new HashMap<>();
  private final Map<String, Integer> podsLeft = new HashMap<>();

  Budget(ClusterModel model, Method method, Instant now) {
    this.model = model;
    this.method = method;
    this.now = now;
  }

  private int nodes(String pool) {
    return nodesLeft.computeIfAbsent(
        pool,
        p -> {
          ClusterModel.PoolCounts counts = model.counts(p);
          return model
              .policy(p)
              .allowedDisruptions(method, now, counts.totalNodes(), counts.disrupting());
        });
  }

  private int pods(String pool) {
    return podsLeft.computeIfAbsent(pool, p -> model.counts(p).evictionsLeft());
  }

  boolean allows(Candidate c, Map<String, String> rejected) {
    if (nodes(c.nodePool()) <= 0) {
      rejected.putIfAbsent(
          c.nodeClaim(),
          "NodePool "
              + c.nodePool()
              + " disruption budget for "
              + method.budgetReason()
              + " is exhausted");
      return false;
    }
    if (c.pods().size() > pods(c.nodePool())) {
      rejected.putIfAbsent(
          c.nodeClaim(), "NodePool " + c.nodePool() + " evictionRateLimit reached");
      return false;
    }
    return true;
  }

  boolean take(Candidate c, Map<String, String> rejected) {
    if (!allows(c, rejected)) {
      return false;
    }
    nodesLeft.merge(c.nodePool(), -1, Integer::sum);
    podsLeft.merge(c.nodePool(), -c.pods().size(), Integer::sum);
    return true;
  }
}
