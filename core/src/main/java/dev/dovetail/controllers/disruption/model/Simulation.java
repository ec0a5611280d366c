package dev.dovetail.controllers.disruption.model;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingInput;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asks the scheduling engine "where would these pods go if these nodes were gone": the candidates'
 * nodes are marked for deletion and their pods are pending, together with the pods that are about
 * to need room anyway (as upstream's SimulateScheduling): the pending pods existing capacity holds
 * ({@link PendingCapacity}) and the pods of nodes already being disrupted (so a command does not
 * plan into the room an in-flight command's replacement holds for its own pods).
 */
final class Simulation {
  private final Scheduler scheduler;
  private final SchedulingOptions options;
  private final boolean onlyNodesWithRoom;

  /** The index of the last node list simulated against (a cache; see {@link RoomIndex}). */
  private volatile RoomIndex rooms;

  /** Answers of narrowed simulations, reused while the nodes they walked stay put. */
  private final SolveMemo memo = new SolveMemo();

  Simulation(Scheduler scheduler, SchedulingOptions options) {
    this(scheduler, options, true);
  }

  /**
   * @param onlyNodesWithRoom whether to hand the engine only the nodes that could take one of the
   *     pods when no topology is involved ({@link RoomIndex}; false solves the whole cluster every
   *     time: the reference the tests compare against)
   */
  Simulation(Scheduler scheduler, SchedulingOptions options, boolean onlyNodesWithRoom) {
    this.scheduler = scheduler;
    this.options = options;
    this.onlyNodesWithRoom = onlyNodesWithRoom;
  }

  SchedulingResult without(ClusterModel model, List<Candidate> candidates) {
    Set<String> gone = new HashSet<>();
    List<SchedulingPod> pods = podsToPlace(model, candidates, gone);
    return solve(model, gone, pods, dynamicPools(model), true);
  }

  /**
   * Whether the candidates' pods are certainly more than the existing nodes' room and one new node
   * can hold together, so that {@link Consolidation#evaluate} cannot find a command for them,
   * whatever the engine answers: the pods it cannot put on existing nodes then request more cpu (or
   * memory) than any instance type of the NodePools has, so they are unschedulable or on several
   * new NodeClaims, and {@link #withoutOnOneNewNode} finds no type that holds them all. Costs two
   * sums instead of a solve; the reason the evaluation would give is not known, so only callers
   * that do not report it (multi-node consolidation's search) may skip on it.
   */
  boolean moreThanOneNewNodeHolds(ClusterModel model, List<Candidate> candidates) {
    Set<String> gone = new HashSet<>();
    List<SchedulingPod> pods = podsToPlace(model, candidates, gone);
    long cpu = 0;
    long memory = 0;
    for (SchedulingPod p : pods) {
      cpu += p.requests().get(Resources.CPU);
      memory += p.requests().get(Resources.MEMORY);
    }
    List<ExistingNode> usable = onlyNodesWithRoom ? rooms(model).relevant(pods, gone) : null;
    for (ExistingNode n : usable != null ? usable : model.nodes()) {
      if (n.markedForDeletion() || gone.contains(n.name())) {
        continue; // the engine places nothing there
      }
      cpu -= Math.max(0, n.allocatable().get(Resources.CPU) - n.requested().get(Resources.CPU));
      memory -=
          Math.max(0, n.allocatable().get(Resources.MEMORY) - n.requested().get(Resources.MEMORY));
    }
    long maxCpu = 0;
    long maxMemory = 0;
    for (NodePoolTemplate p : dynamicPools(model)) {
      for (InstanceType it : p.instanceTypes()) {
        maxCpu = Math.max(maxCpu, it.allocatable().get(Resources.CPU));
        maxMemory = Math.max(maxMemory, it.allocatable().get(Resources.MEMORY));
      }
    }
    return cpu > maxCpu || memory > maxMemory;
  }

  /** Static NodePools keep exactly their replicas: pods never get new nodes from them. */
  private static List<NodePoolTemplate> dynamicPools(ClusterModel model) {
    return model.nodePools().stream().filter(p -> !model.policy(p.name()).isStatic()).toList();
  }

  /**
   * The same question as {@link #without}, asked again when its answer needed several new nodes:
   * with the pods of those nodes held to the instance types that could hold them all together
   * (their requests plus one node's daemonset overhead). Upstream's scheduler packs displaced pods
   * into one NodeClaim while a type still fits them, so its simulation of a node's pods mostly
   * yields one replacement; this engine minimises cost and may spread them over several cheap nodes
   * instead, which consolidation cannot launch as one replacement. Without this second question, a
   * dear node whose pods several cheap nodes would hold more cheaply was never replaced by the one
   * cheaper node that holds them (seen in chaos: a spot g4dn.xlarge holding 13 web pods kept at
   * $0.11/h). When every type those pods may use holds them all, one node is the cheapest plan for
   * them; if the answer still needs several (anti-affinity, conflicting requirements), there is no
   * single replacement.
   *
   * <p>The pods are narrowed, not the NodePools: a NodePool with other instance types is another
   * catalog to compile (and would evict the NodePool's compiled catalog from the cache).
   *
   * @param ceiling what the candidates cost: one node holding those pods is also a plan for them,
   *     so the cheapest plan costs no more; when the several nodes the engine found already cost
   *     {@code ceiling} or more, the question is not asked again (the engine is a heuristic, so in
   *     a rare case this misses a cheaper single node, as everything did before the question)
   * @return the answer, or null when it was not asked again or no type could hold them all
   */
  SchedulingResult withoutOnOneNewNode(
      ClusterModel model, List<Candidate> candidates, SchedulingResult several, double ceiling) {
    double split = 0;
    for (NewNodeClaim claim : several.newNodeClaims()) {
      split += claim.cheapestPrice();
    }
    if (split >= ceiling - 1e-9) {
      return null;
    }
    Set<String> gone = new HashSet<>();
    List<SchedulingPod> pods = podsToPlace(model, candidates, gone);
    Map<String, SchedulingPod> byId = new HashMap<>();
    for (SchedulingPod p : pods) {
      byId.put(p.id(), p);
    }
    Resources all = Resources.EMPTY;
    Resources overhead = Resources.EMPTY;
    for (NewNodeClaim claim : several.newNodeClaims()) {
      Resources own = Resources.EMPTY;
      for (String id : claim.podIds()) {
        SchedulingPod p = byId.get(id);
        if (p == null) {
          return null; // not a pod this simulation placed
        }
        own = own.add(p.requests());
      }
      all = all.add(own);
      overhead = maxOf(overhead, claim.requests().subtract(own).clampNonNegative());
    }
    all = all.add(overhead);
    Set<String> big = new HashSet<>();
    Set<String> pools = new HashSet<>();
    several.newNodeClaims().forEach(c -> pools.add(c.nodePool()));
    for (NodePoolTemplate p : model.nodePools()) {
      if (!pools.contains(p.name())) {
        continue;
      }
      for (InstanceType it : p.instanceTypes()) {
        if (it.cheapestOffering(p.requirements()).map(o -> o.price() < ceiling).orElse(false)
            && all.fitsIn(it.allocatable())) {
          big.add(it.name());
        }
      }
    }
    if (big.isEmpty()) {
      return null;
    }
    Requirement onlyBig = Requirement.in(WellKnownLabels.INSTANCE_TYPE, big);
    Set<String> moved = new HashSet<>();
    for (NewNodeClaim claim : several.newNodeClaims()) {
      moved.addAll(claim.podIds());
    }
    // volumeRequirements is the pod's one requirement ANDed with all its others (node selector,
    // each affinity term), which is what holding it to these types must be
    List<SchedulingPod> narrowed = new ArrayList<>(pods.size());
    for (SchedulingPod p : pods) {
      narrowed.add(
          moved.contains(p.id())
              ? p.toBuilder().volumeRequirements(p.volumeRequirements().and(onlyBig)).build()
              : p);
    }
    // the narrowed pods are new objects every time: nothing to look up later
    return solve(model, gone, narrowed, dynamicPools(model), false);
  }

  private static Resources maxOf(Resources a, Resources b) {
    Map<String, Long> m = new HashMap<>(a.asMap());
    b.asMap().forEach((k, v) -> m.merge(k, v, Math::max));
    return Resources.of(m);
  }

  /**
   * The candidates' pods, those of nodes already being disrupted and the pending ones; adds the
   * candidates' nodes to {@code gone}.
   */
  private List<SchedulingPod> podsToPlace(
      ClusterModel model, List<Candidate> candidates, Set<String> gone) {
    List<SchedulingPod> pods = new ArrayList<>();
    for (Candidate c : candidates) {
      gone.add(c.node());
      pods.addAll(c.pods());
    }
    pods.addAll(podsOfDisruptingNodesCached(model, gone));
    pods.addAll(model.pendingPods());
    return pods;
  }

  /**
   * Solves the pods with the {@code gone} nodes marked for deletion.
   *
   * @param remember whether to look the answer up in, and keep it in, the {@link SolveMemo}
   */
  private SchedulingResult solve(
      ClusterModel model,
      Set<String> gone,
      List<SchedulingPod> pods,
      List<NodePoolTemplate> dynamic,
      boolean remember) {
    List<ExistingNode> withRoom = onlyNodesWithRoom ? rooms(model).relevant(pods, gone) : null;
    if (withRoom != null) {
      if (!remember) {
        return scheduler.solve(new SchedulingInput(pods, withRoom, dynamic, options));
      }
      SchedulingResult known = memo.get(pods, withRoom, dynamic, options);
      if (known != null) {
        return known;
      }
      SchedulingResult r = scheduler.solve(new SchedulingInput(pods, withRoom, dynamic, options));
      memo.put(pods, withRoom, dynamic, options, r);
      return r;
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
    return scheduler.solve(new SchedulingInput(pods, nodes, dynamic, options));
  }

  private RoomIndex rooms(ClusterModel model) {
    RoomIndex r = rooms;
    if (r == null || !r.indexes(model.nodes())) {
      r = RoomIndex.of(model.nodes());
      rooms = r;
    }
    return r;
  }

  /**
   * Pods of candidates whose nodes are already being deleted or disrupted (not in {@code skip}).
   */
  static List<SchedulingPod> podsOfDisruptingNodes(ClusterModel model, Set<String> skip) {
    return podsOf(disruptingCandidates(model), skip);
  }

  private static List<SchedulingPod> podsOf(List<Candidate> disrupting, Set<String> skip) {
    List<SchedulingPod> out = new ArrayList<>();
    for (Candidate c : disrupting) {
      if (!skip.contains(c.node())) {
        out.addAll(c.pods());
      }
    }
    return out;
  }

  /** Which candidates are being disrupted, for the node and candidate lists last asked about. */
  private record Disrupting(
      List<ExistingNode> nodes, List<Candidate> candidates, List<Candidate> disrupting) {}

  private volatile Disrupting disrupting;

  /**
   * As {@link #podsOfDisruptingNodes}, without scanning the whole cluster again for every question
   * about the same model (a model's lists are immutable and shared by the questions of one plan).
   */
  private List<SchedulingPod> podsOfDisruptingNodesCached(ClusterModel model, Set<String> skip) {
    Disrupting d = disrupting;
    if (d == null || d.nodes != model.nodes() || d.candidates != model.candidates()) {
      d = new Disrupting(model.nodes(), model.candidates(), disruptingCandidates(model));
      disrupting = d;
    }
    return podsOf(d.disrupting, skip);
  }

  /** The candidates whose nodes are already being deleted or disrupted, in the model's order. */
  private static List<Candidate> disruptingCandidates(ClusterModel model) {
    Set<String> marked = new HashSet<>();
    for (ExistingNode n : model.nodes()) {
      if (n.markedForDeletion()) {
        marked.add(n.name());
      }
    }
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : model.candidates()) {
      if (marked.contains(c.node())) {
        out.add(c);
      }
    }
    return out;
  }

  static String unschedulableWhy(SchedulingResult r) {
    // the first pod by id, not the map's first entry: an immutable map's iteration order changes
    // from JVM to JVM, and the same cluster should give the same reason every run
    Map.Entry<String, String> first =
        r.unschedulable().entrySet().stream().min(Map.Entry.comparingByKey()).orElseThrow();
    return r.unschedulable().size()
        + " pod(s) could not be rescheduled (e.g. "
        + first.getKey()
        + ": "
        + first.getValue()
        + ")";
  }

  static String notYetConsolidatable(PoolPolicy policy) {
    return policy.consolidateAfter() == null
        ? "consolidateAfter is Never"
        : "not consolidatable for consolidateAfter=" + policy.consolidateAfter() + " yet";
  }

  static Command deleteCommand(Method method, List<Candidate> cs) {
    double before = cs.stream().mapToDouble(Candidate::price).sum();
    return new Command(method, cs, List.of(), before, 0, Map.of());
  }

  /** Cheapest to disrupt first; among equals, the most expensive node first. */
  static List<Candidate> sorted(List<Candidate> cs) {
    List<Candidate> out = new ArrayList<>(cs);
    out.sort(
        java.util.Comparator.comparingDouble(Candidate::disruptionCost)
            .thenComparing(java.util.Comparator.comparingDouble(Candidate::price).reversed()));
    return out;
  }
}
