package dev.dovetail.demo;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingInput;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import dev.dovetail.state.NodeUtils;
import dev.dovetail.state.PodUtils;
import dev.dovetail.translate.NodeTranslator;
import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One kube-scheduler cycle over the pending pods, decided without API calls: which pod binds to
 * which Ready node, and why the others fit nowhere.
 *
 * <p>The filters are the engine's existing-node placement ({@link Scheduler} with no NodePools, so
 * it can only use the nodes it is given): resources against allocatable minus every pod bound there
 * (DaemonSet pods included), nodeSelector and required node affinity, taints and tolerations
 * (NoSchedule and NoExecute; a cordoned node as kube-scheduler's {@code
 * node.kubernetes.io/unschedulable} taint), required pod affinity and anti-affinity (the running
 * pods' anti-affinity too), topology spread, host ports and volume topology.
 *
 * <p>Two passes, as kube-scheduler treats {@code nominatedNodeName}: first every pod that has a
 * nominated Ready node is tried on that node alone (pinned by its hostname), so a node is filled by
 * the pods it was bought for before anyone else may use it; a pod that no longer fits there joins
 * the rest. Then the rest are placed over all nodes, first fit in MostAllocated order (the node
 * whose cpu and memory are most requested first, kube-scheduler's bin-packing score): the fullest
 * node that passes every filter takes the pod. The order is computed once per cycle; as only the
 * nodes at the front receive pods they stay at the front, which is what scoring each pod would
 * choose, up to ties.
 */
final class SchedulingCycle {
  /** kube-scheduler's NodeUnschedulable plugin treats a cordoned node as carrying this taint. */
  static final Taint UNSCHEDULABLE =
      new Taint("node.kubernetes.io/unschedulable", "", "NoSchedule");

  private final PodTranslator pods;
  private final NodeTranslator nodes;
  private final Scheduler engine = new Scheduler();

  /** Translations kept across cycles, or null to translate everything every cycle. */
  private final TranslationCache cache;

  SchedulingCycle(PodTranslator pods, TranslationCache cache) {
    this.pods = pods;
    this.nodes = new NodeTranslator(pods);
    this.cache = cache;
  }

  SchedulingCycle() {
    this(new PodTranslator(), null);
  }

  /**
   * What one cycle decided.
   *
   * @param bindings pod id ({@code namespace/name}) to node name, nominated pods first
   * @param unschedulable pod id to why it fits on no node
   */
  record Decision(Map<String, String> bindings, Map<String, String> unschedulable) {}

  /**
   * Decides where the pending pods go.
   *
   * @param allNodes the cluster's nodes; only Ready ones not being deleted take pods
   * @param podsOn the pods bound to a node (terminal ones are ignored)
   * @param pending pods waiting for a node
   * @param nominatedNode the node a pod is nominated to, or null
   */
  Decision decide(
      List<Node> allNodes,
      Function<String, List<Pod>> podsOn,
      List<Pod> pending,
      Function<Pod, String> nominatedNode) {
    Map<String, ExistingNode> byName = new LinkedHashMap<>();
    Map<String, String> hostnames = new HashMap<>();
    for (ExistingNode node : nodes(allNodes, podsOn)) {
      byName.put(node.name(), node);
      hostnames.put(node.name(), node.labels().getOrDefault(WellKnownLabels.HOSTNAME, node.name()));
    }
    Map<String, String> bindings = new LinkedHashMap<>();
    if (byName.isEmpty()) {
      Map<String, String> none = new LinkedHashMap<>();
      pending.forEach(p -> none.put(PodTranslator.id(p), "0/0 nodes are available"));
      return new Decision(bindings, none);
    }

    // 1. Nominated pods on their nominated node only.
    List<SchedulingPod> pinned = new ArrayList<>();
    Map<String, SchedulingPod> rest = new LinkedHashMap<>();
    for (Pod p : pending) {
      SchedulingPod sp = translate(p);
      String nominated = nominatedNode.apply(p);
      String hostname = nominated == null ? null : hostnames.get(nominated);
      rest.put(sp.id(), sp);
      if (hostname != null) {
        String own = sp.nodeSelector().get(WellKnownLabels.HOSTNAME);
        if (own == null || own.equals(hostname)) {
          pinned.add(sp.toBuilder().nodeSelector(WellKnownLabels.HOSTNAME, hostname).build());
        }
      }
    }
    if (!pinned.isEmpty()) {
      SchedulingResult onNominated = solve(pinned, List.copyOf(byName.values()));
      place(onNominated, rest, byName, bindings);
    }

    // 2. Everyone else, fullest node first.
    Map<String, String> unschedulable = new LinkedHashMap<>();
    if (!rest.isEmpty()) {
      List<ExistingNode> ordered = new ArrayList<>(byName.values());
      ordered.sort(
          Comparator.comparingDouble(SchedulingCycle::mostAllocatedScore)
              .reversed()
              .thenComparing(ExistingNode::name));
      SchedulingResult result = solve(List.copyOf(rest.values()), ordered);
      place(result, rest, byName, bindings);
      for (String id : rest.keySet()) {
        unschedulable.put(
            id,
            "0/"
                + byName.size()
                + " nodes are available: "
                + result.unschedulable().getOrDefault(id, "no node has room"));
      }
    }
    return new Decision(bindings, unschedulable);
  }

  /** The nodes that can take pods (Ready ones), as the filters see them. */
  List<ExistingNode> nodes(List<Node> allNodes, Function<String, List<Pod>> podsOn) {
    List<ExistingNode> out = new ArrayList<>();
    for (Node n : allNodes) {
      if (!NodeUtils.isReady(n)) {
        continue;
      }
      List<Pod> on = new ArrayList<>();
      for (Pod p : podsOn.apply(n.getMetadata().getName())) {
        if (!PodUtils.isTerminal(p)) {
          on.add(p);
        }
      }
      out.add(cache == null ? schedulable(n, on) : cache.node(n, on, this::schedulable));
    }
    return out;
  }

  /** The pod as the engine sees it. */
  SchedulingPod translate(Pod p) {
    return cache == null ? pods.translate(p) : cache.pod(p, pods::translate);
  }

  private SchedulingResult solve(List<SchedulingPod> toPlace, List<ExistingNode> on) {
    // No NodePools: the engine can only use the nodes it is given, which is kube-scheduler's job.
    return engine.solve(new SchedulingInput(toPlace, on, List.of(), SchedulingOptions.DEFAULT));
  }

  /** Records the result's placements and counts each placed pod on its node for the next pass. */
  private static void place(
      SchedulingResult result,
      Map<String, SchedulingPod> rest,
      Map<String, ExistingNode> byName,
      Map<String, String> bindings) {
    result
        .placements()
        .forEach(
            (id, nodeName) -> {
              SchedulingPod placed = rest.remove(id);
              ExistingNode node = byName.get(nodeName);
              if (placed == null || node == null) {
                return;
              }
              byName.put(nodeName, withPod(node, placed));
              bindings.put(id, nodeName);
            });
  }

  /**
   * The node as the engine should see it for kube-scheduler's filters: a cordoned node carries the
   * unschedulable taint; a node being deleted takes no pods (Karpenter's disrupted taint is a
   * NoSchedule taint that the taint filter already honours, so it does not mark the node).
   */
  private ExistingNode schedulable(Node n, List<Pod> on) {
    ExistingNode node = nodes.fromNode(n, on, false);
    List<Taint> taints = new ArrayList<>(node.taints());
    if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
      taints.add(UNSCHEDULABLE);
    }
    return new ExistingNode(
        node.name(),
        node.labels(),
        taints,
        node.allocatable(),
        node.requested(),
        node.pods(),
        false,
        n.getMetadata().getDeletionTimestamp() != null,
        node.nodePool());
  }

  private static ExistingNode withPod(ExistingNode node, SchedulingPod pod) {
    List<SchedulingPod> on = new ArrayList<>(node.pods());
    on.add(pod);
    Resources requested =
        node.requested().add(pod.requests()).add(Resources.of(Resources.PODS, 1L));
    return new ExistingNode(
        node.name(),
        node.labels(),
        node.taints(),
        node.allocatable(),
        requested,
        on,
        node.inFlight(),
        node.markedForDeletion(),
        node.nodePool());
  }

  /**
   * kube-scheduler's NodeResourcesFit MostAllocated score with its default weights: the mean of the
   * requested share of cpu and memory.
   */
  static double mostAllocatedScore(ExistingNode node) {
    return (share(node, Resources.CPU) + share(node, Resources.MEMORY)) / 2;
  }

  private static double share(ExistingNode node, String resource) {
    long allocatable = node.allocatable().get(resource);
    return allocatable <= 0 ? 0 : (double) node.requested().get(resource) / allocatable;
  }
}
