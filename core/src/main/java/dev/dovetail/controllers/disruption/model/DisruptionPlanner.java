package dev.dovetail.controllers.disruption.model;

import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Decides what to disrupt by asking each {@link DisruptionMethod} in upstream HEAD's order: {@link
 * Emptiness}, {@link StaticDrift}, {@link Drift}, {@link MultiNodeConsolidation}, {@link
 * SingleNodeConsolidation}. Pure: it reads a {@link ClusterModel} and asks the scheduling engine
 * "where would these pods go if these nodes were gone". It returns at most one command per pass;
 * the caller executes it and plans again.
 */
public final class DisruptionPlanner {
  /** Upstream's MinInstanceTypesForSpotToSpotConsolidation. */
  public static final int MIN_SPOT_TO_SPOT_TYPES = 15;

  /** Upstream caps multi-node consolidation at 100 candidates. */
  public static final int MULTI_NODE_MAX_CANDIDATES = 100;

  /**
   * @param spotToSpot whether a spot node may be replaced by a cheaper spot node (upstream's
   *     SpotToSpotConsolidation gate)
   * @param multiNodeTimeout how long multi-node consolidation may search (upstream: 1 minute);
   *     null: no limit
   * @param singleNodeTimeout how long single-node consolidation may search (upstream: 3 minutes);
   *     null: no limit
   * @param scheduling the engine's options for the simulations (the run's preference and minValues
   *     policies, as upstream's disruption simulation takes them)
   */
  public record Options(
      boolean spotToSpot,
      Duration multiNodeTimeout,
      Duration singleNodeTimeout,
      dev.dovetail.scheduling.SchedulingOptions scheduling) {
    /**
     * Upstream's defaults: spot-to-spot off (its SpotToSpotConsolidation gate defaults to false).
     */
    public static final Options DEFAULT =
        new Options(false, Duration.ofMinutes(1), Duration.ofMinutes(3));

    public Options {
      scheduling =
          scheduling == null ? dev.dovetail.scheduling.SchedulingOptions.DEFAULT : scheduling;
    }

    /** Options whose simulations respect preferences and enforce minValues strictly. */
    public Options(boolean spotToSpot, Duration multiNodeTimeout, Duration singleNodeTimeout) {
      this(spotToSpot, multiNodeTimeout, singleNodeTimeout, null);
    }

    public Options withSpotToSpot(boolean enabled) {
      return new Options(enabled, multiNodeTimeout, singleNodeTimeout, scheduling);
    }

    public Options withScheduling(dev.dovetail.scheduling.SchedulingOptions options) {
      return new Options(spotToSpot, multiNodeTimeout, singleNodeTimeout, options);
    }

    /**
     * These options with no wall-clock limit on the methods' searches, so that the commands depend
     * only on the cluster: for runs that must give the same answer every time (the consolidation
     * benchmark, {@code dovetail simulate}). A search cut off at a deadline stops wherever the
     * machine's speed and load left it, so the same cluster gives different commands from run to
     * run. The operator keeps upstream's limits, which bound how long one poll may take.
     */
    public Options withoutTimeouts() {
      return new Options(spotToSpot, null, null, scheduling);
    }
  }

  private final Simulation simulation;
  private final PendingCapacity pending;
  private final List<DisruptionMethod> methods;
  private volatile Map<String, String> lastRejected = Map.of();

  public DisruptionPlanner(Scheduler scheduler, Options options) {
    this(scheduler, options, System::nanoTime);
  }

  public DisruptionPlanner(Scheduler scheduler, Options options, LongSupplier nanoTime) {
    this(new Simulation(scheduler, options.scheduling()), scheduler, options, nanoTime);
  }

  /** A planner whose simulations always solve the whole cluster (the tests' reference). */
  static DisruptionPlanner wholeCluster(Scheduler scheduler, Options options) {
    return new DisruptionPlanner(
        new Simulation(scheduler, options.scheduling(), false),
        scheduler,
        options,
        System::nanoTime);
  }

  private DisruptionPlanner(
      Simulation simulation, Scheduler scheduler, Options options, LongSupplier nanoTime) {
    this.simulation = simulation;
    this.pending = new PendingCapacity(scheduler, options.scheduling());
    Consolidation consolidation = new Consolidation(simulation, options);
    this.methods =
        List.of(
            new Emptiness(),
            new StaticDrift(),
            new Drift(simulation),
            new MultiNodeConsolidation(consolidation, options.multiNodeTimeout(), nanoTime),
            new SingleNodeConsolidation(consolidation, options.singleNodeTimeout(), nanoTime));
  }

  /** The methods, in the order they are asked. */
  public List<DisruptionMethod> methods() {
    return methods;
  }

  /** The method that decides commands of this kind (for re-validation). */
  public Optional<DisruptionMethod> method(Method method) {
    return methods.stream().filter(m -> m.method() == method).findFirst();
  }

  /**
   * The first command the methods find, in order, with the reasons other candidates were skipped.
   */
  public Optional<Command> plan(ClusterModel cluster, Instant now) {
    Map<String, String> rejected = new LinkedHashMap<>();
    ClusterModel model = prepare(cluster);
    for (DisruptionMethod m : methods) {
      Optional<Command> cmd = m.computeCommand(model, now, rejected);
      if (cmd.isPresent()) {
        Set<String> taken = new HashSet<>();
        cmd.get().candidates().forEach(c -> taken.add(c.nodeClaim()));
        rejected.keySet().removeAll(taken);
        lastRejected = Map.copyOf(rejected);
        return Optional.of(cmd.get().withRejected(rejected));
      }
    }
    lastRejected = Map.copyOf(rejected);
    return Optional.empty();
  }

  /**
   * The model as the methods see it: candidates that pending pods need are blocked and the pending
   * pods existing capacity holds join every simulation ({@link PendingCapacity}). {@link #plan}
   * does this itself; callers that ask one method directly (re-validation) call it first.
   */
  public ClusterModel prepare(ClusterModel model) {
    return pending.reserve(model);
  }

  /** Why candidates were not taken in the last {@link #plan} call. */
  public Map<String, String> lastRejected() {
    return lastRejected;
  }

  public Optional<Command> emptiness(
      ClusterModel model, Instant now, Map<String, String> rejected) {
    return run(Method.EMPTINESS, model, now, rejected);
  }

  public Optional<Command> drift(ClusterModel model, Instant now, Map<String, String> rejected) {
    return run(Method.DRIFT, model, now, rejected);
  }

  public Optional<Command> multiNode(
      ClusterModel model, Instant now, Map<String, String> rejected) {
    return run(Method.MULTI_NODE_CONSOLIDATION, model, now, rejected);
  }

  public Optional<Command> singleNode(
      ClusterModel model, Instant now, Map<String, String> rejected) {
    return run(Method.SINGLE_NODE_CONSOLIDATION, model, now, rejected);
  }

  private Optional<Command> run(
      Method method, ClusterModel model, Instant now, Map<String, String> rejected) {
    return method(method).orElseThrow().computeCommand(model, now, rejected);
  }

  /** Where would these pods go if these nodes were gone? */
  public SchedulingResult simulate(ClusterModel model, List<Candidate> candidates) {
    return simulation.without(model, candidates);
  }
}
