package dev.dovetail.scheduling;

import java.util.ArrayList;
import java.util.List;

/**
 * One solve: compiles the input ({@link SolveContext}), places the pods largest first ({@link
 * PodOrder}, {@link PodPlacer}), runs the {@link RepairPass}, the {@link MergePass}, the {@link
 * ExchangePass} and the {@link RotationPass} and assembles the result ({@link ClaimAssembler}).
 *
 * <p>Planned claims sit in a tree ordered by spare cpu on their current cheapest type ({@link
 * PlannedClaims}), so finding the tightest fit is a ceiling lookup, not a scan; instance-type sets
 * are bitsets over each pool's price-ordered types, and topology counts are updated incrementally
 * as pods land ({@link TopologyCounts}).
 */
final class Solver {
  /**
   * At most this many rounds of the {@link ExchangePass} (one draw per movable pod each). On
   * Karpenter's 20,000-pod benchmark (BENCHMARKS.md, issue 21 item 4): 20 rounds take the cost from
   * 1.052 to 1.043 of the bound with nodes, 30 to 1.042 (~30 % more CPU for the solve), 100 to
   * 1.037, 300 to 1.034 (the pass's local optimum), at a CPU cost linear in the rounds.
   */
  static final int EXCHANGE_DRAWS_PER_POD = 30;

  /**
   * The exponent of the second {@link RotationPass}'s potential. Measured on the 20,000-pod
   * benchmark (BENCHMARKS.md, round four), second pass after the first: 3 gave 1.0306, 4 1.0302, 6
   * 1.0292, 8 1.0297 of the bound with nodes.
   */
  static final int ROTATION_STEEP_POWER = 6;

  private final SchedulingInput input;
  private final CatalogCache catalogs;

  Solver(SchedulingInput input, CatalogCache catalogs) {
    this.input = input;
    this.catalogs = catalogs;
  }

  SchedulingResult solve() {
    SolveContext ctx = SolveContext.compile(input, catalogs);
    InstanceOptions options = new InstanceOptions(ctx.table, input.options().maxInstanceTypes());
    LimitReservations limits = new LimitReservations(ctx.table, options);
    TopologyCounts counts = new TopologyCounts(ctx.topo);
    TopologyChecks checks = new TopologyChecks(ctx.topo, ctx.table, ctx.existing, ctx.pools);
    ClaimPlanner planner =
        new ClaimPlanner(ctx.table, checks, limits, ctx.pools, input.options().relaxMinValues());
    PlannedClaims claims = new PlannedClaims(ctx.table, counts, limits);
    PodPlacer placer = new PodPlacer(ctx, planner, claims, checks, counts);
    for (int i : PodOrder.of(ctx.classOf)) {
      placer.place(input.pods().get(i), ctx.classOf[i]);
    }
    new RepairPass(planner, claims, counts, input.pods()).run();
    new MergePass(planner, claims, counts, input.pods()).run();
    // exchanges and rotations move pods only between slots of one group, in place, and keep every
    // claim eligible: the slots collected once hold for all three passes
    MovableSlots slots = MovableSlots.of(claims);
    new ExchangePass(claims, slots, EXCHANGE_DRAWS_PER_POD).run();
    new RotationPass(claims, slots, 2).run();
    // the same from where the first stopped, with a steeper potential: its level rotations gather
    // room on fewer claims (20,000 pods: 1.0315 -> 1.0292 of the bound with nodes)
    new RotationPass(claims, slots, ROTATION_STEEP_POWER).run();
    ClaimAssembler assembler =
        new ClaimAssembler(ctx.table, ctx.dims, options, input.options().relaxMinValues());
    List<NewNodeClaim> out = new ArrayList<>(claims.size());
    for (ClaimBin c : claims.all()) {
      out.add(assembler.assemble(c));
    }
    return new SchedulingResult(placer.placements(), out, placer.unschedulable());
  }
}
