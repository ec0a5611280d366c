package dev.dovetail.scheduling;

/**
 * The scheduling engine: places pending pods onto existing nodes, in-flight NodeClaims and new
 * NodeClaims. Stateless and thread-safe: every {@link #solve} works on its own copy of the input.
 */
public final class Scheduler {

  public SchedulingResult solve(SchedulingInput input) {
    return new Solver(input).solve();
  }
}
