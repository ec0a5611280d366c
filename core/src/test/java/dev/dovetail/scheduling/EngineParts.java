package dev.dovetail.scheduling;

/** The engine's parts wired as {@link Solver} wires them, for tests of one part at a time. */
final class EngineParts {
  final SolveContext ctx;
  final InstanceOptions options;
  final LimitReservations limits;
  final TopologyCounts counts;
  final TopologyChecks checks;
  final ClaimPlanner planner;
  final PlannedClaims claims;

  EngineParts(SchedulingInput input) {
    ctx = SolveContext.compile(input, new CatalogCache());
    options = new InstanceOptions(ctx.table, input.options().maxInstanceTypes());
    limits = new LimitReservations(ctx.table, options);
    counts = new TopologyCounts(ctx.topo);
    checks = new TopologyChecks(ctx.topo, ctx.table, ctx.existing, ctx.pools);
    planner =
        new ClaimPlanner(ctx.table, checks, limits, ctx.pools, input.options().relaxMinValues());
    claims = new PlannedClaims(ctx.table, counts, limits);
  }

  PodClass cls(int pod) {
    return ctx.classOf[pod];
  }

  /** The pod's variant with every preference honoured. */
  PodClass.Variant strict(int pod) {
    return cls(pod).variant(0, false, ctx.topo, ctx.table);
  }

  SchedulingPod pod(int pod) {
    return ctx.input.pods().get(pod);
  }

  PoolState pool() {
    return ctx.pools.get(0);
  }

  /** Opens a claim in the first pool and lands the pod on it (the plan must succeed). */
  ClaimBin openWith(int pod) {
    ClaimBin c = claims.open(pool());
    Plan p = planner.plan(c, cls(pod), strict(pod));
    if (!p.ok()) {
      throw new AssertionError(p.failure().render());
    }
    claims.add(c);
    claims.commit(pod(pod), cls(pod), c, strict(pod), p);
    return c;
  }

  /** Lands the pod on claim c (the plan must succeed). */
  void commit(int pod, ClaimBin c) {
    Plan p = planner.plan(c, cls(pod), strict(pod));
    if (!p.ok()) {
      throw new AssertionError(p.failure().render());
    }
    claims.commit(pod(pod), cls(pod), c, strict(pod), p);
  }
}
