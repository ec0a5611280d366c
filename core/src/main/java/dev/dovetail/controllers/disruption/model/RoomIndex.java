package dev.dovetail.controllers.disruption.model;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.SchedulingPod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The free cpu and memory of every node of one cluster, so a simulation can hand the scheduling
 * engine only the nodes that could take at least one of the pods it moves.
 *
 * <p>Why the answer does not change: without any pod (anti-)affinity or topology spread among the
 * pods being placed, and without required anti-affinity on any running pod, the engine uses an
 * existing node only by placing a pod on it (first fit in input order), and only when the pod's cpu
 * and memory requests fit the node's free capacity (allocatable minus requested; capacity only
 * shrinks during a solve). A node where no pod's requests fit is never used and nothing else reads
 * it, so leaving it out (and keeping the others in order) gives the same placements, the same new
 * NodeClaims and the same reasons. With any topology in play the whole cluster is passed, as
 * before: domains and counts then depend on every node.
 *
 * <p>Built once per node list (a model's nodes are an immutable list, shared by the models a
 * planning pass derives from it) and read by every simulation against it: at 3,000 nodes a
 * single-node question then costs a scan of two arrays and a solve over the handful of nodes with
 * room, instead of compiling the whole cluster.
 */
final class RoomIndex {
  private static final Comparator<long[]> SHAPE_ORDER =
      Comparator.<long[]>comparingLong(s -> s[0]).thenComparingLong(s -> s[1]);

  private final List<ExistingNode> nodes;
  private final long[] freeCpu;
  private final long[] freeMemory;
  private final boolean runningAntiAffinity;

  private RoomIndex(List<ExistingNode> nodes) {
    this.nodes = nodes;
    int n = nodes.size();
    this.freeCpu = new long[n];
    this.freeMemory = new long[n];
    boolean anti = false;
    for (int i = 0; i < n; i++) {
      ExistingNode node = nodes.get(i);
      freeCpu[i] = node.allocatable().get(Resources.CPU) - node.requested().get(Resources.CPU);
      freeMemory[i] =
          node.allocatable().get(Resources.MEMORY) - node.requested().get(Resources.MEMORY);
      for (SchedulingPod p : node.pods()) {
        anti |= !p.podAntiAffinity().isEmpty();
      }
    }
    this.runningAntiAffinity = anti;
  }

  static RoomIndex of(List<ExistingNode> nodes) {
    return new RoomIndex(nodes);
  }

  /** Whether this index was built for exactly this node list. */
  boolean indexes(List<ExistingNode> list) {
    return nodes == list;
  }

  /**
   * The nodes the engine could place any of {@code pods} on, in input order, leaving out those
   * {@code gone} and those already marked for deletion; null when topology makes every node matter
   * (the caller then passes the whole cluster).
   */
  List<ExistingNode> relevant(List<SchedulingPod> pods, Set<String> gone) {
    if (runningAntiAffinity) {
      return null;
    }
    for (SchedulingPod p : pods) {
      if (!p.podAffinity().isEmpty()
          || !p.podAntiAffinity().isEmpty()
          || !p.preferredPodAffinity().isEmpty()
          || !p.preferredPodAntiAffinity().isEmpty()
          || !p.topologySpread().isEmpty()) {
        return null;
      }
    }
    long[][] shapes = smallestShapes(pods);
    List<ExistingNode> out = new ArrayList<>();
    if (shapes.length == 0) {
      return out;
    }
    for (int i = 0; i < freeCpu.length; i++) {
      if (fitsAny(shapes, freeCpu[i], freeMemory[i])) {
        ExistingNode n = nodes.get(i);
        if (!n.markedForDeletion() && !gone.contains(n.name())) {
          out.add(n);
        }
      }
    }
    return out;
  }

  private static boolean fitsAny(long[][] shapes, long cpu, long memory) {
    for (long[] s : shapes) {
      if (s[0] <= cpu && s[1] <= memory) {
        return true;
      }
    }
    return false;
  }

  /**
   * The pods' distinct (cpu, memory) requests that no other request is smaller than in both: a node
   * fits some pod exactly when it fits one of these.
   */
  static long[][] smallestShapes(List<SchedulingPod> pods) {
    // (cpu, memory) pairs without boxing: asked once per simulation, over every pod it moves
    long[][] all = new long[pods.size()][];
    for (int i = 0; i < all.length; i++) {
      Resources r = pods.get(i).requests();
      all[i] = new long[] {r.get(Resources.CPU), r.get(Resources.MEMORY)};
    }
    // by cpu, then memory: a shape is dominated by (or equal to) an earlier one exactly when that
    // one's memory is no larger
    Arrays.sort(all, SHAPE_ORDER);
    List<long[]> out = new ArrayList<>();
    long minMemory = Long.MAX_VALUE;
    for (long[] s : all) {
      if (s[1] < minMemory) {
        out.add(s);
        minMemory = s[1];
      }
    }
    return out.toArray(new long[0][]);
  }
}
