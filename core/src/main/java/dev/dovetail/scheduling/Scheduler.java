package dev.dovetail.scheduling;

/**
 * The scheduling engine: places pending pods onto existing nodes, in-flight NodeClaims and new
 * NodeClaims. Thread-safe: every {@link #solve} works on its own copy of the input. A scheduler
 * keeps the compiled instance types of each NodePool's latest catalog, so solves with an unchanged
 * catalog (the same {@code InstanceType} objects) skip compiling it: keep one per controller.
 */
public final class Scheduler {
  private final CatalogCache catalogs = new CatalogCache();

  public SchedulingResult solve(SchedulingInput input) {
    return new Solver(input, catalogs).solve();
  }
}
