package dev.dovetail.controllers.disruption.model;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Remembers the answers of the simulations {@link RoomIndex} narrows, so asking the same pods again
 * after an unrelated command costs a scan instead of a solve.
 *
 * <p>Why a remembered answer is the answer: under {@link RoomIndex}'s conditions (no topology) the
 * engine uses an existing node only by placing a pod on it, first fit in its order (running nodes,
 * then in-flight ones), and only when the pod's cpu and memory fit; what it plans on new NodeClaims
 * depends only on the pods left over. So if a new node list starts with exactly the nodes (the same
 * immutable objects) the remembered solve walked up to the last node it placed a pod on, and no
 * node after them has room for any pod the solve left over, every pod meets the same nodes in the
 * same state and the solve decides the same: same placements, same NodeClaims, same reasons.
 *
 * <p>This matters for consolidation's passes: every plan call asks single-node consolidation about
 * the candidates it already rejected, and a command mostly changes nodes none of those answers
 * touched (measured at 1,000 nodes / 10,000 pods: 34,640 single-node questions in 236 plan calls to
 * the fixed point).
 */
final class SolveMemo {
  /** Entries kept (least recently used dropped first); one per candidate set asked about. */
  static final int CAPACITY = 4_096;

  private record Key(List<SchedulingPod> pods) {
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key k) || k.pods.size() != pods.size()) {
        return false;
      }
      for (int i = 0; i < pods.size(); i++) {
        if (k.pods.get(i) != pods.get(i)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      int h = 1;
      for (SchedulingPod p : pods) {
        h = 31 * h + System.identityHashCode(p);
      }
      return h;
    }
  }

  /**
   * @param walked the nodes, in the engine's order, up to the last one a pod was placed on
   * @param leftOver the smallest (cpu, memory) shapes of the pods not placed on existing nodes
   */
  private record Entry(
      List<NodePoolTemplate> pools,
      SchedulingOptions options,
      ExistingNode[] walked,
      long[][] leftOver,
      SchedulingResult result) {}

  private final Map<Key, Entry> entries =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
          return size() > CAPACITY;
        }
      };

  /**
   * The remembered answer for these pods on these nodes (in the order handed to the engine), or
   * null.
   */
  SchedulingResult get(
      List<SchedulingPod> pods,
      List<ExistingNode> nodes,
      List<NodePoolTemplate> pools,
      SchedulingOptions options) {
    Entry e;
    synchronized (entries) {
      e = entries.get(new Key(pods));
    }
    if (e == null || e.options != options || !samePools(e.pools, pools)) {
      return null;
    }
    List<ExistingNode> order = engineOrder(nodes);
    if (order.size() < e.walked.length) {
      return null;
    }
    for (int i = 0; i < e.walked.length; i++) {
      if (order.get(i) != e.walked[i]) {
        return null;
      }
    }
    for (int i = e.walked.length; i < order.size(); i++) {
      if (fitsAny(e.leftOver, order.get(i))) {
        return null;
      }
    }
    return e.result;
  }

  /** Remembers what the engine answered for these pods on these nodes. */
  void put(
      List<SchedulingPod> pods,
      List<ExistingNode> nodes,
      List<NodePoolTemplate> pools,
      SchedulingOptions options,
      SchedulingResult result) {
    List<ExistingNode> order = engineOrder(nodes);
    Set<String> used = new HashSet<>(result.placements().values());
    int last = -1;
    for (int i = 0; i < order.size(); i++) {
      if (used.contains(order.get(i).name())) {
        last = i;
      }
    }
    List<SchedulingPod> left = new ArrayList<>();
    for (SchedulingPod p : pods) {
      if (!result.placements().containsKey(p.id())) {
        left.add(p);
      }
    }
    Entry e =
        new Entry(
            List.copyOf(pools),
            options,
            order.subList(0, last + 1).toArray(new ExistingNode[0]),
            RoomIndex.smallestShapes(left),
            result);
    synchronized (entries) {
      entries.put(new Key(List.copyOf(pods)), e);
    }
  }

  private static boolean samePools(List<NodePoolTemplate> a, List<NodePoolTemplate> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** The engine's order: running nodes, then in-flight NodeClaims (a stable sort). */
  private static List<ExistingNode> engineOrder(List<ExistingNode> nodes) {
    boolean anyInFlight = false;
    for (ExistingNode n : nodes) {
      anyInFlight |= n.inFlight();
    }
    if (!anyInFlight) {
      return nodes;
    }
    List<ExistingNode> out = new ArrayList<>(nodes.size());
    for (ExistingNode n : nodes) {
      if (!n.inFlight()) {
        out.add(n);
      }
    }
    for (ExistingNode n : nodes) {
      if (n.inFlight()) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * Whether a pod of one of these shapes could fit the node: cpu, memory and a pod slot, as the
   * engine counts them (a node's pods are its requested pods, else how many it runs).
   */
  private static boolean fitsAny(long[][] shapes, ExistingNode n) {
    long used =
        n.requested().has(Resources.PODS) ? n.requested().get(Resources.PODS) : n.pods().size();
    if (n.allocatable().get(Resources.PODS) - used < 1) {
      return false;
    }
    long cpu = n.allocatable().get(Resources.CPU) - n.requested().get(Resources.CPU);
    long memory = n.allocatable().get(Resources.MEMORY) - n.requested().get(Resources.MEMORY);
    for (long[] s : shapes) {
      if (s[0] <= cpu && s[1] <= memory) {
        return true;
      }
    }
    return false;
  }
}
