package dev.dovetail.controllers.disruption;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.controllers.ControllerContext;
import dev.dovetail.controllers.disruption.model.Candidate;
import dev.dovetail.controllers.disruption.model.Command;
import dev.dovetail.controllers.disruption.model.DisruptionMethod;
import dev.dovetail.controllers.disruption.model.DisruptionPlanner;
import dev.dovetail.controllers.disruption.model.PoolPolicy;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disruption loop (Karpenter's disruption controller): every poll it moves in-flight commands
 * on and asks the {@link DisruptionPlanner} for the next voluntary command (its methods in
 * upstream's order: emptiness, static drift, drift, multi-node then single-node consolidation).
 * Expiration is its own controller ({@code nodeclaim/expiration}). A command other than drift is
 * re-validated after {@code validationDelay} against the cluster as it is then, and only executed
 * if it still holds; several commands may be in flight at once, as many as the NodePools'
 * disruption budgets allow, and each is checked once more just before its candidates' pods are
 * evicted.
 *
 * <p>It keeps only its pass ({@link #reconcileOnce}); the operator runs it every {@code
 * pollInterval} as a {@link dev.dovetail.controllers.PeriodicController}.
 */
public final class DisruptionController {
  private static final Logger LOG = LoggerFactory.getLogger(DisruptionController.class);

  /**
   * @param pollInterval how often the loop runs (upstream: 10s)
   * @param validationDelay how long a decision waits before it is re-checked and executed
   *     (upstream's commandValidationDelay: 15s)
   * @param replacementTimeout how long replacements may take to initialize before the command is
   *     rolled back
   * @param allowUncontrolledPods whether nodes with pods no controller owns may be disrupted
   * @param planner the planner's options (spot-to-spot, timeouts)
   */
  public record Options(
      Duration pollInterval,
      Duration validationDelay,
      Duration replacementTimeout,
      boolean allowUncontrolledPods,
      DisruptionPlanner.Options planner) {
    public static final Options DEFAULT =
        new Options(
            Duration.ofSeconds(10),
            Duration.ofSeconds(15),
            Duration.ofMinutes(10),
            false,
            DisruptionPlanner.Options.DEFAULT);

    public Options withValidationDelay(Duration d) {
      return new Options(pollInterval, d, replacementTimeout, allowUncontrolledPods, planner);
    }

    public Options withPollInterval(Duration d) {
      return new Options(d, validationDelay, replacementTimeout, allowUncontrolledPods, planner);
    }

    public Options withPlanner(DisruptionPlanner.Options p) {
      return new Options(
          pollInterval, validationDelay, replacementTimeout, allowUncontrolledPods, p);
    }

    public Options withAllowUncontrolledPods(boolean allow) {
      return new Options(pollInterval, validationDelay, replacementTimeout, allow, planner);
    }
  }

  /** Observes decisions (metrics, demo). */
  public interface DecisionListener {
    void decided(Command command);

    /**
     * A candidate's NodeClaim deletion was requested ({@code karpenter_nodeclaims_disrupted_total}
     * counts these, so a command rolled back or aborted before eviction counts nothing).
     */
    default void deleted(Command command, Candidate candidate) {}

    /** A decision was skipped for this pass because an input could not be read. */
    default void skipped(String reason) {}

    /**
     * Each pass's budgets: nodes allowed to be disrupting per {@code [nodePool, reason]} (see
     * {@link dev.dovetail.controllers.disruption.model.AllowedDisruptions}).
     */
    default void allowedDisruptions(Map<List<String>, Integer> byNodePoolAndReason) {}

    DecisionListener NONE = c -> {};
  }

  private final KubernetesClient client;
  private final ClusterState state;
  private final EventRecorder events;
  private final Clock clock;
  private final Options options;
  private final DecisionListener listener;
  private final DisruptionPlanner planner;
  private final ModelBuilder models;
  private final DisruptionQueue queue;
  private final CommandValidation validation;
  private final Map<String, Deque<Eviction>> evictions = new HashMap<>();
  private final Map<String, Set<String>> protectedReplacements = new HashMap<>();
  private final CandidateBackoff backoff = new CandidateBackoff();
  private final SettledCluster settled = new SettledCluster();
  private long taintsCheckedAt = -1;
  private long plannedPasses;
  private Pending pending;

  /** How long a candidate whose replacement failed first rests (doubling with each failure). */
  static final Duration COOL_DOWN = CandidateBackoff.INITIAL;

  private record Eviction(Instant at, int pods) {}

  private record Pending(Command command, Instant validateAt) {}

  public DisruptionController(
      ControllerContext context, Options options, DecisionListener listener) {
    this.client = context.client();
    this.state = context.state();
    this.events = context.events();
    this.clock = context.clock();
    this.options = options;
    this.listener = listener;
    this.planner = new DisruptionPlanner(new Scheduler(), options.planner());
    this.models =
        new ModelBuilder(
            state, context.cloud(), options.allowUncontrolledPods(), context.podTranslations());
    this.queue =
        new DisruptionQueue(client, state, events, options.replacementTimeout(), listener::deleted);
    this.validation =
        new CommandValidation(
            planner, models, new DisruptionSafety(options.allowUncontrolledPods()), state);
  }

  /**
   * One pass, synchronously (tests call it with a moved clock). Returns the command executed in
   * this pass, if any.
   */
  public synchronized Optional<Command> reconcileOnce() {
    Instant now = clock.instant();
    if (!state.synced()) {
      return Optional.empty();
    }
    // Read before anything else from the cache: an event after this read bumps it past what the
    // pass saw, so a change the pass missed is never mistaken for "unchanged" by the next one.
    long generation = state.generation();
    nothingToDo = false;
    List<Command> rolledBack =
        queue.advance(now, cmd -> validation.beforeEviction(cmd, () -> context(clock.instant())));
    for (Command failed : rolledBack) {
      // A candidate whose replacement failed rests, longer after each failure: launching again at
      // once would churn (e.g. the same insufficient capacity).
      failed.candidates().forEach(c -> backoff.failed(c.nodeClaim(), now));
    }
    if (!rolledBack.isEmpty()) {
      return Optional.empty();
    }
    // A stale taint appears only with a change, or at start: look when the cache has moved.
    if (generation != taintsCheckedAt) {
      taintsCheckedAt = generation;
      StaleDisruptionTaints.find(state.nodes(), state.nodeClaims(), queue.candidates())
          .forEach(queue::untaintStale);
    }
    protectedReplacements
        .values()
        .removeIf(cands -> cands.stream().allMatch(c -> state.nodeClaim(c).isEmpty()));
    // An idle cluster: the last pass found nothing with these same inputs, so this one would
    // build the same model and simulate the same candidates to find nothing again.
    SettledCluster.Inputs inputs =
        pending == null && queue.isEmpty() ? settledInputs(generation, now) : null;
    if (inputs != null && settled.unchanged(inputs, now)) {
      nothingToDo = true;
      return Optional.empty();
    }
    settled.unsettle();
    // Several commands may be in flight (upstream's orchestration queue): the NodePools' budgets
    // bound them, since nodes of in-flight commands count as disrupting, and each new plan moves
    // the in-flight commands' pods too, so it never counts on room their replacements hold.
    Optional<ModelBuilder.Context> ctx = contextOrSkip(now);
    if (ctx.isEmpty()) {
      return Optional.empty();
    }
    plannedPasses++;
    ModelBuilder.Built built = models.build(ctx.get());
    listener.allowedDisruptions(
        dev.dovetail.controllers.disruption.model.AllowedDisruptions.of(built.model(), now));
    for (ModelBuilder.Skipped s : built.skipped()) {
      report(s.about(), s.reason(), s.message());
    }
    if (pending != null) {
      if (now.isBefore(pending.validateAt())) {
        return Optional.empty();
      }
      Pending p = pending;
      pending = null;
      Optional<Command> still = validation.revalidate(p.command(), built.model(), now);
      if (still.isEmpty()) {
        LOG.info(
            "disruption {} no longer valid after {}; dropped",
            p.command().describe(),
            options.validationDelay());
        return Optional.empty();
      }
      execute(still.get(), built, now);
      return still;
    }
    Optional<Command> cmd = planner.plan(built.model(), now);
    nothingToDo = cmd.isEmpty() && queue.isEmpty();
    if (nothingToDo && inputs != null && built.skipped().isEmpty()) {
      settled.settle(inputs, now);
    }
    if (cmd.isEmpty()) {
      // Say why nothing was done, on each candidate (the recorder drops repeats for a while).
      planner
          .lastRejected()
          .forEach(
              (claimName, why) -> {
                NodeClaim claim = built.claimsByName().get(claimName);
                if (claim != null) {
                  events.normal(claim, "Unconsolidatable", why);
                }
              });
      return Optional.empty();
    }
    Command c = cmd.get();
    boolean validated = planner.method(c.method()).map(DisruptionMethod::validated).orElse(false);
    if (!validated || options.validationDelay().isZero()) {
      execute(c, built, now);
      return cmd;
    }
    pending = new Pending(c, now.plus(options.validationDelay()));
    LOG.info("disruption candidate {}; validating in {}", c.describe(), options.validationDelay());
    return Optional.empty();
  }

  /**
   * Capacity to launch now so that the pods of this NodeClaim's node have somewhere to go (used
   * when the cloud is about to take the node away): the engine's new NodeClaims for its pods with
   * the node gone. Empty when its pods fit on existing capacity.
   */
  public synchronized List<dev.dovetail.scheduling.NewNodeClaim> replacementsFor(String nodeClaim) {
    ModelBuilder.Built built = models.build(context(clock.instant()));
    for (Candidate c : built.model().candidates()) {
      if (c.nodeClaim().equals(nodeClaim)) {
        return planner.simulate(built.model(), List.of(c)).newNodeClaims();
      }
    }
    return List.of();
  }

  /**
   * Passes that built the cluster model and planned (a pass skipped because nothing changed since
   * one that found nothing to do is not counted).
   */
  public synchronized long plannedPasses() {
    return plannedPasses;
  }

  /**
   * The inputs a settled mark is compared on, or null when they cannot be read (a NodePool whose
   * settings do not parse: the pass then plans, and reports what it skips, as before).
   */
  private SettledCluster.Inputs settledInputs(long generation, Instant now) {
    try {
      List<PoolPolicy> policies = new ArrayList<>();
      for (NodePool pool : state.nodePools()) {
        policies.add(PoolPolicies.of(pool));
      }
      ModelBuilder.Context ctx = context(now, List.of());
      return new SettledCluster.Inputs(
          generation,
          SettledCluster.activeBudgets(policies, now),
          ctx.evictionsUsed(),
          Set.copyOf(ctx.blockedClaims().keySet()));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The decision pending validation, if any (for tests and the demo). */
  public synchronized Optional<Command> pending() {
    return pending == null ? Optional.empty() : Optional.of(pending.command());
  }

  private volatile boolean nothingToDo;

  /**
   * Whether consolidation reached a fixed point: nothing in flight, nothing waiting for validation,
   * and the last pass's planning found no command.
   */
  public boolean converged() {
    return nothingToDo && !busy();
  }

  /** Whether commands are still waiting for replacements. */
  public boolean busy() {
    return !queue.isEmpty() || pending != null;
  }

  private void execute(Command cmd, ModelBuilder.Built built, Instant now) {
    LOG.info(
        "disrupting via {}: {}; not taken: {}",
        cmd.method().label(),
        cmd.describe(),
        cmd.describeRejected(10));
    for (Candidate c : cmd.candidates()) {
      NodeClaim claim = built.claimsByName().get(c.nodeClaim());
      if (claim != null) {
        events.normal(
            claim,
            "DisruptionDecision",
            cmd.describe() + "; not taken: " + cmd.describeRejected(5));
      }
      evictions
          .computeIfAbsent(c.nodePool(), k -> new ArrayDeque<>())
          .add(new Eviction(now, c.pods().size()));
    }
    listener.decided(cmd);
    queue.submit(cmd, built.poolsByName(), now);
    Set<String> cands = new HashSet<>();
    cmd.candidates().forEach(c -> cands.add(c.nodeClaim()));
    for (String r : queue.replacements()) {
      protectedReplacements.putIfAbsent(r, cands);
    }
  }

  private ModelBuilder.Context context(Instant now) {
    return context(now, pdbs());
  }

  private ModelBuilder.Context context(Instant now, List<PodDisruptionBudget> pdbs) {
    Map<String, Integer> used = new HashMap<>();
    for (NodePool pool : state.nodePools()) {
      PoolPolicy policy = PoolPolicies.of(pool);
      Deque<Eviction> q = evictions.get(pool.getMetadata().getName());
      if (q == null || policy.evictionLimit() <= 0) {
        continue;
      }
      Instant from = now.minus(policy.evictionPeriod());
      q.removeIf(e -> e.at().isBefore(from));
      used.put(pool.getMetadata().getName(), q.stream().mapToInt(Eviction::pods).sum());
    }
    Set<String> disrupting = new HashSet<>(queue.candidates());
    Map<String, String> blocked = new HashMap<>();
    backoff
        .resting(now)
        .forEach(
            (claim, until) ->
                blocked.put(
                    claim,
                    "its last "
                        + backoff.failures(claim)
                        + " replacement(s) failed; backing off until "
                        + until));
    for (String claim : List.copyOf(backoff.claims())) {
      if (state.nodeClaim(claim).isEmpty()) {
        backoff.forget(claim);
      }
    }
    protectedReplacements
        .keySet()
        .forEach(r -> blocked.put(r, "replacement of an in-flight disruption"));
    return new ModelBuilder.Context(now, pdbs, disrupting, blocked, true, used);
  }

  /** PodDisruptionBudgets; a failure propagates (never read as "no PDBs"). */
  private List<PodDisruptionBudget> pdbs() {
    return client.policy().v1().podDisruptionBudget().inAnyNamespace().list().getItems();
  }

  /**
   * The pass's context, or empty when the PDBs cannot be listed: without them no voluntary
   * disruption is safe, so the pass is skipped and says so.
   */
  private Optional<ModelBuilder.Context> contextOrSkip(Instant now) {
    try {
      return Optional.of(context(now));
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      String message =
          "Listing PodDisruptionBudgets failed, no disruption this pass: " + e.getMessage();
      for (NodePool pool : state.nodePools()) {
        events.warning(pool, "PDBListFailed", message);
      }
      LOG.warn(message);
      listener.skipped("PDBListFailed");
      return Optional.empty();
    }
  }

  private void report(
      io.fabric8.kubernetes.api.model.HasMetadata about, String reason, String message) {
    LOG.warn(
        "disruption: {} {}: {} (skipped for this pass)",
        about.getKind(),
        about.getMetadata().getName(),
        message);
    events.warning(about, reason, message);
    listener.skipped(reason);
  }
}
