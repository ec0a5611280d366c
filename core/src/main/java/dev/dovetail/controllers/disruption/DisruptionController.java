package dev.dovetail.controllers.disruption;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.controllers.disruption.model.Candidate;
import dev.dovetail.controllers.disruption.model.ClusterModel;
import dev.dovetail.controllers.disruption.model.Command;
import dev.dovetail.controllers.disruption.model.DisruptionMethod;
import dev.dovetail.controllers.disruption.model.DisruptionPlanner;
import dev.dovetail.controllers.disruption.model.PoolPolicy;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disruption loop (Karpenter's disruption controller): every poll it moves in-flight commands
 * on and, when nothing is in flight, asks the {@link DisruptionPlanner} for the next voluntary
 * command (its methods in upstream's order: emptiness, static drift, drift, multi-node then
 * single-node consolidation). Expiration is its own controller ({@code nodeclaim/expiration}). A
 * command other than drift is re-validated after {@code validationDelay} against the cluster as it
 * is then, and only executed if it still holds.
 */
public final class DisruptionController implements AutoCloseable {
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
  private final Map<String, PodSet> podSets = new HashMap<>();
  private final Map<String, Deque<Eviction>> evictions = new HashMap<>();
  private final Map<String, Set<String>> protectedReplacements = new HashMap<>();
  private final CandidateBackoff backoff = new CandidateBackoff();
  private Pending pending;

  /** How long a candidate whose replacement failed first rests (doubling with each failure). */
  static final Duration COOL_DOWN = CandidateBackoff.INITIAL;

  private ScheduledExecutorService executor;

  private record PodSet(int hash, Instant since) {}

  private record Eviction(Instant at, int pods) {}

  private record Pending(Command command, Instant validateAt) {}

  public DisruptionController(
      KubernetesClient client,
      ClusterState state,
      CloudProviderFacade cloud,
      EventRecorder events,
      Clock clock,
      Options options,
      DecisionListener listener) {
    this.client = client;
    this.state = state;
    this.events = events;
    this.clock = clock;
    this.options = options;
    this.listener = listener;
    this.planner = new DisruptionPlanner(new Scheduler(), options.planner());
    this.models = new ModelBuilder(state, cloud, options.allowUncontrolledPods());
    this.queue = new DisruptionQueue(client, state, events, options.replacementTimeout());
  }

  public DisruptionController start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "disruption");
              t.setDaemon(true);
              return t;
            });
    long ms = options.pollInterval().toMillis();
    executor.scheduleWithFixedDelay(this::safeReconcile, ms, ms, TimeUnit.MILLISECONDS);
    return this;
  }

  private volatile dev.dovetail.controllers.Liveness.Loop heartbeat;

  /** Reports each pass to the liveness probe; call before {@link #start}. */
  public DisruptionController withHeartbeat(dev.dovetail.controllers.Liveness.Loop loop) {
    this.heartbeat = loop;
    return this;
  }

  private void safeReconcile() {
    var beat = heartbeat;
    try {
      if (beat != null) {
        beat.begin();
      }
      reconcileOnce();
    } catch (RuntimeException e) {
      LOG.error("disruption pass failed", e);
    } finally {
      if (beat != null) {
        beat.end();
      }
    }
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
    List<Command> rolledBack = queue.advance(now);
    for (Command failed : rolledBack) {
      // A candidate whose replacement failed rests, longer after each failure: launching again at
      // once would churn (e.g. the same insufficient capacity).
      failed.candidates().forEach(c -> backoff.failed(c.nodeClaim(), now));
    }
    if (!rolledBack.isEmpty()) {
      return Optional.empty();
    }
    protectedReplacements
        .values()
        .removeIf(cands -> cands.stream().allMatch(c -> state.nodeClaim(c).isEmpty()));
    if (!queue.isEmpty()) {
      return Optional.empty(); // one command at a time: the next decision sees its outcome
    }
    trackPodChanges(now);
    Optional<ModelBuilder.Context> ctx = contextOrSkip(now);
    if (ctx.isEmpty()) {
      return Optional.empty();
    }
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
      Optional<Command> still = revalidate(p.command(), built.model(), now);
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

  /** The decision pending validation, if any (for tests and the demo). */
  public synchronized Optional<Command> pending() {
    return pending == null ? Optional.empty() : Optional.of(pending.command());
  }

  /** Whether commands are still waiting for replacements. */
  public boolean busy() {
    return !queue.isEmpty() || pending != null;
  }

  /**
   * The same method on the same nodes, planned again on the current cluster: still valid only if it
   * takes exactly the same candidates (and, for consolidation, still saves).
   */
  private Optional<Command> revalidate(Command cmd, ClusterModel model, Instant now) {
    Set<String> wanted = new HashSet<>();
    cmd.candidates().forEach(c -> wanted.add(c.nodeClaim()));
    List<Candidate> fresh = new ArrayList<>();
    for (Candidate c : model.candidates()) {
      if (wanted.contains(c.nodeClaim())) {
        fresh.add(c);
      }
    }
    if (fresh.size() != wanted.size()) {
      return Optional.empty();
    }
    ClusterModel only =
        new ClusterModel(model.nodes(), model.nodePools(), fresh, model.policies(), model.pools());
    Map<String, String> rejected = new HashMap<>();
    Optional<DisruptionMethod> method = planner.method(cmd.method());
    if (method.isEmpty()) {
      return Optional.of(cmd);
    }
    Optional<Command> again = method.get().computeCommand(only, now, rejected);
    if (again.isEmpty() || again.get().candidates().size() != wanted.size()) {
      return Optional.empty();
    }
    if (cmd.method().consolidation() && again.get().priceAfter() > cmd.priceAfter() + 1e-9) {
      return Optional.empty();
    }
    return Optional.of(again.get().withRejected(cmd.rejected()));
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

  /** Remembers when each node's set of pods last changed (its consolidateAfter clock). */
  private void trackPodChanges(Instant now) {
    Set<String> seen = new HashSet<>();
    for (Node n : state.nodes()) {
      String name = n.getMetadata().getName();
      seen.add(name);
      int hash = 1;
      for (Pod p : state.podsOn(name)) {
        if (ModelBuilder.reschedulable(p)) {
          hash = 31 * hash + ClusterState.podKey(p).hashCode();
        }
      }
      PodSet prev = podSets.get(name);
      if (prev == null) {
        podSets.put(name, new PodSet(hash, null));
      } else if (prev.hash() != hash) {
        podSets.put(name, new PodSet(hash, now));
      }
    }
    podSets.keySet().retainAll(seen);
  }

  private ModelBuilder.Context context(Instant now) {
    Map<String, Instant> changed = new HashMap<>();
    podSets.forEach(
        (node, set) -> {
          if (set.since() != null) {
            changed.put(node, set.since());
          }
        });
    Map<String, Integer> used = new HashMap<>();
    for (NodePool pool : state.nodePools()) {
      PoolPolicy policy = ModelBuilder.policy(pool);
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
    return new ModelBuilder.Context(now, pdbs(), disrupting, blocked, changed, used);
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

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
