package dev.dovetail.state;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The requests of the pods bound to each node, summed once and kept until a pod event on that node
 * says otherwise. Nomination checks ask it for every nominated pod on every scan of the pending
 * pods; summing a node's pods each time made a scan cost pods × pods-per-node request parses.
 *
 * <p>Each node has a generation, bumped by every pod event on it. A sum is stored with the
 * generation read before its pods were read, so a sum that raced an event is recomputed on the next
 * look instead of being trusted (the informer updates its index before it notifies handlers).
 */
final class NodeUsage {
  private record Entry(long generation, Resources used) {}

  private final Function<String, List<Pod>> podsOn;
  private final Map<String, Entry> sums = new ConcurrentHashMap<>();
  private final Map<String, Long> generations = new ConcurrentHashMap<>();

  NodeUsage(Function<String, List<Pod>> podsOn) {
    this.podsOn = podsOn;
  }

  /**
   * A pod bound to (or leaving) {@code nodeName} changed: its sum is recomputed when next asked.
   */
  void invalidate(String nodeName) {
    if (nodeName != null) {
      generations.merge(nodeName, 1L, Long::sum);
      sums.remove(nodeName);
    }
  }

  /** The node is gone: nothing about it is kept. */
  void forget(String nodeName) {
    if (nodeName != null) {
      sums.remove(nodeName);
      generations.remove(nodeName);
    }
  }

  /** The summed requests of the non-terminal pods bound to the node. */
  Resources used(String nodeName) {
    long generation = generations.getOrDefault(nodeName, 0L);
    Entry e = sums.get(nodeName);
    if (e != null && e.generation() == generation) {
      return e.used();
    }
    Resources used = Resources.EMPTY;
    for (Pod p : podsOn.apply(nodeName)) {
      if (!PodUtils.isTerminal(p) && p.getSpec() != null) {
        used = used.add(PodTranslator.requests(p.getSpec()));
      }
    }
    sums.put(nodeName, new Entry(generation, used));
    return used;
  }
}
