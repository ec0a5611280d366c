package dev.dovetail.controllers.disruption.model;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingInput;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Decides what to disrupt, in Karpenter's order: drift, emptiness, multi-node consolidation,
 * single-node consolidation. Pure: it reads a {@link ClusterModel} and asks the scheduling engine
 * "where would these pods go if these nodes were gone" by solving with the candidates marked for
 * deletion and their pods pending. It returns at most one command per pass, as upstream does; the
 * caller executes it and plans again.
 */
public final class DisruptionPlanner {
  /** Upstream's MinInstanceTypesForSpotToSpotConsolidation. */
  public static final int MIN_SPOT_TO_SPOT_TYPES = 15;

  /** Upstream caps multi-node consolidation at 100 candidates. */
  public static final int MULTI_NODE_MAX_CANDIDATES = 100;

  /**
   * @param spotToSpot whether a spot node may be replaced by a cheaper spot node (upstream's
   *     SpotToSpotConsolidation gate)
   * @param multiNodeTimeout how long multi-node consolidation may search (upstream: 1 minute)
   * @param singleNodeTimeout how long single-node consolidation may search (upstream: 3 minutes)
   */
  public record Options(boolean spotToSpot, Duration multiNodeTimeout, Duration singleNodeTimeout) {
    /**
     * Upstream's defaults: spot-to-spot off (its SpotToSpotConsolidation gate defaults to false).
     */
    public static final Options DEFAULT =
        new Options(false, Duration.ofMinutes(1), Duration.ofMinutes(3));

    public Options withSpotToSpot(boolean enabled) {
      return new Options(enabled, multiNodeTimeout, singleNodeTimeout);
    }
  }

  private final Scheduler scheduler;
  private final Options options;
  private final LongSupplier nanoTime;

  public DisruptionPlanner(Scheduler scheduler, Options options) {
    this(scheduler, options, System::nanoTime);
  }

  public DisruptionPlanner(Scheduler scheduler, Options options, LongSupplier nanoTime) {
    this.scheduler = scheduler;
    this.options = options;
    this.nanoTime = nanoTime;
  }

  /**
   * The first command the methods find, in order, with the reasons other candidates were skipped.
   */
  public Optional<Command> plan(ClusterModel model, Instant now) {
    Map<String, String> rejected = new LinkedHashMap<>();
    Optional<Command> cmd = drift(model, now, rejected);
    if (cmd.isEmpty()) {
      cmd = emptiness(model, now, rejected);
    }
    if (cmd.isEmpty()) {
      cmd = multiNode(model, now, rejected);
    }
    if (cmd.isEmpty()) {
      cmd = singleNode(model, now, rejected);
    }
    if (cmd.isEmpty()) {
      lastRejected = Map.copyOf(rejected);
      return Optional.empty();
    }
    Set<String> taken = new HashSet<>();
    cmd.get().candidates().forEach(c -> taken.add(c.nodeClaim()));
    rejected.keySet().removeAll(taken);
    lastRejected = Map.copyOf(rejected);
    return Optional.of(cmd.get().withRejected(rejected));
  }

  private volatile Map<String, String> lastRejected = Map.of();

  /** Why candidates were not taken in the last {@link #plan} call. */
  public Map<String, String> lastRejected() {
    return lastRejected;
  }

  // ------------------------------------------------------------------ drift

  public Optional<Command> drift(ClusterModel model, Instant now, Map<String, String> rejected) {
    List<Candidate> drifted = new ArrayList<>();
    for (Candidate c : model.candidates()) {
      if (c.driftReason() != null) {
        if (c.blocked()) {
          rejected.put(c.nodeClaim(), "drifted (" + c.driftReason() + ") but " + c.blockedReason());
        } else {
          drifted.add(c);
        }
      }
    }
    if (drifted.isEmpty()) {
      return Optional.empty();
    }
    drifted.sort(Comparator.comparingDouble(Candidate::disruptionCost));
    Budget budget = new Budget(model, Method.DRIFT, now);
    // Empty drifted nodes go together; they need no replacement.
    List<Candidate> empty = new ArrayList<>();
    for (Candidate c : drifted) {
      if (c.empty() && budget.take(c, rejected)) {
        empty.add(c);
      }
    }
    if (!empty.isEmpty()) {
      return Optional.of(deleteCommand(Method.DRIFT, empty));
    }
    for (Candidate c : drifted) {
      if (!budget.allows(c, rejected)) {
        continue;
      }
      SchedulingResult r = simulate(model, List.of(c));
      if (!r.unschedulable().isEmpty()) {
        rejected.put(c.nodeClaim(), "drifted but " + unschedulableWhy(r));
        continue;
      }
      return Optional.of(
          new Command(
              Method.DRIFT,
              List.of(c),
              r.newNodeClaims(),
              c.price(),
              r.newNodesCostPerHour(),
              Map.of(),
              r.placements()));
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------ emptiness

  public Optional<Command> emptiness(
      ClusterModel model, Instant now, Map<String, String> rejected) {
    Budget budget = new Budget(model, Method.EMPTINESS, now);
    List<Candidate> take = new ArrayList<>();
    for (Candidate c : sorted(model.candidates())) {
      if (!c.empty()) {
        continue;
      }
      PoolPolicy policy = model.policy(c.nodePool());
      if (c.blocked()) {
        rejected.put(c.nodeClaim(), "empty but " + c.blockedReason());
      } else if (!policy.consolidatable(c, now)) {
        rejected.put(c.nodeClaim(), notYetConsolidatable(policy));
      } else if (budget.take(c, rejected)) {
        take.add(c);
      }
    }
    return take.isEmpty() ? Optional.empty() : Optional.of(deleteCommand(Method.EMPTINESS, take));
  }

  // ------------------------------------------------------------------ consolidation

  /** Candidates consolidation may touch, cheapest to disrupt first; records why others are not. */
  private List<Candidate> consolidationCandidates(
      ClusterModel model, Instant now, Map<String, String> rejected) {
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : sorted(model.candidates())) {
      PoolPolicy policy = model.policy(c.nodePool());
      if (c.empty()) {
        continue; // emptiness' business
      }
      if (c.blocked()) {
        rejected.putIfAbsent(c.nodeClaim(), c.blockedReason());
      } else if (!policy.consolidatesUnderutilized()) {
        rejected.putIfAbsent(
            c.nodeClaim(), "consolidationPolicy is " + policy.consolidationPolicy());
      } else if (!policy.consolidatable(c, now)) {
        rejected.putIfAbsent(c.nodeClaim(), notYetConsolidatable(policy));
      } else {
        out.add(c);
      }
    }
    return out;
  }

  public Optional<Command> multiNode(
      ClusterModel model, Instant now, Map<String, String> rejected) {
    List<Candidate> all = consolidationCandidates(model, now, rejected);
    Budget budget = new Budget(model, Method.MULTI_NODE_CONSOLIDATION, now);
    List<Candidate> eligible = new ArrayList<>();
    Map<String, String> ignored = new HashMap<>();
    for (Candidate c : all) {
      if (eligible.size() >= MULTI_NODE_MAX_CANDIDATES) {
        break;
      }
      if (budget.take(c, ignored)) {
        eligible.add(c);
      }
    }
    if (eligible.size() < 2) {
      return Optional.empty();
    }
    long deadline = nanoTime.getAsLong() + options.multiNodeTimeout().toNanos();
    // Binary search for the longest prefix (by disruption cost) that consolidates; like upstream,
    // a search over prefixes rather than all subsets.
    int lo = 2;
    int hi = eligible.size();
    Command best = null;
    while (lo <= hi) {
      if (nanoTime.getAsLong() > deadline) {
        break;
      }
      int mid = (lo + hi) >>> 1;
      Evaluation e = evaluate(model, eligible.subList(0, mid), Method.MULTI_NODE_CONSOLIDATION);
      if (e.command != null) {
        best = e.command;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return Optional.ofNullable(best);
  }

  public Optional<Command> singleNode(
      ClusterModel model, Instant now, Map<String, String> rejected) {
    List<Candidate> all = consolidationCandidates(model, now, rejected);
    Budget budget = new Budget(model, Method.SINGLE_NODE_CONSOLIDATION, now);
    long deadline = nanoTime.getAsLong() + options.singleNodeTimeout().toNanos();
    for (Candidate c : all) {
      if (!budget.allows(c, rejected)) {
        continue;
      }
      if (nanoTime.getAsLong() > deadline) {
        rejected.put(c.nodeClaim(), "single-node consolidation timed out before reaching it");
        continue;
      }
      Evaluation e = evaluate(model, List.of(c), Method.SINGLE_NODE_CONSOLIDATION);
      if (e.command != null) {
        return Optional.of(e.command);
      }
      rejected.put(c.nodeClaim(), e.why);
    }
    return Optional.empty();
  }

  private record Evaluation(Command command, String why) {}

  /** Whether deleting the candidates, with at most one cheaper replacement, keeps every pod. */
  private Evaluation evaluate(ClusterModel model, List<Candidate> candidates, Method method) {
    SchedulingResult r = simulate(model, candidates);
    if (!r.unschedulable().isEmpty()) {
      return new Evaluation(null, unschedulableWhy(r));
    }
    double before = 0;
    boolean allSpot = true;
    for (Candidate c : candidates) {
      before += c.price();
      allSpot &= c.spot();
    }
    if (r.newNodeClaims().isEmpty()) {
      String unbalanced = balancedRejection(model, candidates, before, 0);
      if (unbalanced != null) {
        return new Evaluation(null, unbalanced);
      }
      return new Evaluation(
          new Command(method, candidates, List.of(), before, 0, Map.of(), r.placements()), null);
    }
    if (r.newNodeClaims().size() > 1) {
      return new Evaluation(
          null, "its pods would need " + r.newNodeClaims().size() + " new nodes, not one");
    }
    NewNodeClaim plan = r.newNodeClaims().get(0);
    // Never replace with something not cheaper: keep only options whose cheapest offering is.
    List<Priced> cheaper = new ArrayList<>();
    for (InstanceType it : plan.instanceTypeOptions()) {
      Optional<Offering> o = it.cheapestOffering(plan.requirements());
      if (o.isPresent() && o.get().price() < before - 1e-9) {
        cheaper.add(new Priced(it, o.get()));
      }
    }
    if (cheaper.isEmpty()) {
      return new Evaluation(
          null,
          String.format(
              "no replacement cheaper than $%.4f/h (cheapest fit $%.4f/h)",
              before, plan.cheapestPrice()));
    }
    cheaper.sort(Comparator.comparingDouble(p -> p.offering.price()));
    boolean spotReplacement =
        WellKnownLabels.CAPACITY_TYPE_SPOT.equals(cheaper.get(0).offering.capacityType());
    if (allSpot && spotReplacement) {
      if (!options.spotToSpot()) {
        return new Evaluation(null, "spot-to-spot consolidation is disabled");
      }
      if (candidates.size() > 1) {
        return new Evaluation(null, "spot-to-spot consolidation is single-node only");
      }
      long spotTypes =
          cheaper.stream()
              .filter(p -> WellKnownLabels.CAPACITY_TYPE_SPOT.equals(p.offering.capacityType()))
              .count();
      if (spotTypes < MIN_SPOT_TO_SPOT_TYPES) {
        return new Evaluation(
            null,
            "spot-to-spot needs "
                + MIN_SPOT_TO_SPOT_TYPES
                + " cheaper instance types, found "
                + spotTypes);
      }
      // Launch among the 15 cheapest, as upstream does, so the replacement is not the next node
      // to be reclaimed only because it is the single cheapest pool.
      cheaper =
          cheaper.stream()
              .filter(p -> WellKnownLabels.CAPACITY_TYPE_SPOT.equals(p.offering.capacityType()))
              .limit(MIN_SPOT_TO_SPOT_TYPES)
              .toList();
    }
    double after = cheaper.get(0).offering.price();
    String pool = candidates.get(0).nodePool();
    for (Candidate c : candidates) {
      PoolPolicy policy = model.policy(c.nodePool());
      if (!policy.savesEnough(before, after)) {
        return new Evaluation(
            null,
            String.format(
                "saving $%.4f/h (%.1f%%) is below NodePool %s's minimumSavings",
                before - after, (before - after) / before * 100, c.nodePool()));
      }
    }
    String unbalanced = balancedRejection(model, candidates, before, after);
    if (unbalanced != null) {
      return new Evaluation(null, unbalanced);
    }
    NewNodeClaim narrowed = narrow(plan, cheaper);
    return new Evaluation(
        new Command(method, candidates, List.of(narrowed), before, after, Map.of(), r.placements()),
        null);
  }

  private record Priced(InstanceType type, Offering offering) {}

  /**
   * The Balanced policy: a move is worth it only when the share of the NodePool's cost it saves is
   * at least 1/k of the share of the NodePool's disruption cost it causes (k = 2).
   */
  private static String balancedRejection(
      ClusterModel model, List<Candidate> candidates, double before, double after) {
    Map<String, double[]> move = new HashMap<>(); // pool -> {price, disruption}
    for (Candidate c : candidates) {
      if ("Balanced".equals(model.policy(c.nodePool()).consolidationPolicy())) {
        double[] m = move.computeIfAbsent(c.nodePool(), k -> new double[2]);
        m[0] += c.price();
        m[1] += c.disruptionCost();
      }
    }
    for (Map.Entry<String, double[]> e : move.entrySet()) {
      double poolCost = 0;
      double poolDisruption = 0;
      for (Candidate c : model.candidates()) {
        if (e.getKey().equals(c.nodePool())) {
          poolCost += c.price();
          poolDisruption += c.disruptionCost();
        }
      }
      double share = before == 0 ? 0 : e.getValue()[0] / before;
      double saved = (before - after) * share;
      double savingsFraction = poolCost == 0 ? 0 : saved / poolCost;
      double disruptionFraction = poolDisruption == 0 ? 0 : e.getValue()[1] / poolDisruption;
      if (disruptionFraction > 0
          && savingsFraction / disruptionFraction
              < 1.0 / dev.dovetail.apis.v1.ConsolidationPolicy.BALANCED_K) {
        return String.format(
            "Balanced: saves %.1f%% of NodePool %s's cost for %.1f%% of its disruption cost"
                + " (score %.2f < 1/%d)",
            savingsFraction * 100,
            e.getKey(),
            disruptionFraction * 100,
            savingsFraction / disruptionFraction,
            dev.dovetail.apis.v1.ConsolidationPolicy.BALANCED_K);
      }
    }
    return null;
  }

  private static NewNodeClaim narrow(NewNodeClaim plan, List<Priced> options) {
    List<InstanceType> types = options.stream().map(Priced::type).toList();
    List<String> names = types.stream().map(InstanceType::name).toList();
    var reqs =
        plan.requirements()
            .without(WellKnownLabels.INSTANCE_TYPE)
            .and(Requirement.in(WellKnownLabels.INSTANCE_TYPE, names));
    return new NewNodeClaim(
        plan.hostname(),
        plan.nodePool(),
        reqs,
        types,
        plan.labels(),
        plan.taints(),
        plan.startupTaints(),
        plan.podIds(),
        plan.requests(),
        options.get(0).offering.price());
  }

  // ------------------------------------------------------------------ helpers

  /** Where would these pods go if these nodes were gone? */
  public SchedulingResult simulate(ClusterModel model, List<Candidate> candidates) {
    Set<String> gone = new HashSet<>();
    List<SchedulingPod> pods = new ArrayList<>();
    for (Candidate c : candidates) {
      gone.add(c.node());
      pods.addAll(c.pods());
    }
    List<ExistingNode> nodes = new ArrayList<>(model.nodes().size());
    for (ExistingNode n : model.nodes()) {
      if (gone.contains(n.name()) && !n.markedForDeletion()) {
        nodes.add(
            new ExistingNode(
                n.name(),
                n.labels(),
                n.taints(),
                n.allocatable(),
                n.requested(),
                n.pods(),
                n.inFlight(),
                true,
                n.nodePool()));
      } else {
        nodes.add(n);
      }
    }
    return scheduler.solve(
        new SchedulingInput(pods, nodes, model.nodePools(), SchedulingOptions.DEFAULT));
  }

  private static String unschedulableWhy(SchedulingResult r) {
    Map.Entry<String, String> first = r.unschedulable().entrySet().iterator().next();
    return r.unschedulable().size()
        + " pod(s) could not be rescheduled (e.g. "
        + first.getKey()
        + ": "
        + first.getValue()
        + ")";
  }

  private static String notYetConsolidatable(PoolPolicy policy) {
    return policy.consolidateAfter() == null
        ? "consolidateAfter is Never"
        : "not consolidatable for consolidateAfter=" + policy.consolidateAfter() + " yet";
  }

  private static Command deleteCommand(Method method, List<Candidate> cs) {
    double before = cs.stream().mapToDouble(Candidate::price).sum();
    return new Command(method, cs, List.of(), before, 0, Map.of());
  }

  private static List<Candidate> sorted(List<Candidate> cs) {
    List<Candidate> out = new ArrayList<>(cs);
    out.sort(
        Comparator.comparingDouble(Candidate::disruptionCost)
            .thenComparing(Comparator.comparingDouble(Candidate::price).reversed()));
    return out;
  }

  /** Per-pool budget and eviction-rate bookkeeping within one pass. */
  private static final class Budget {
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
}
