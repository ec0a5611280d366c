package dev.dovetail.demo;

import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The stand-in scheduler's pending pods, as kube-scheduler's scheduling queue holds them: a pod is
 * tried at once when it is new, when it changed (its spec, labels or annotations) or when it gained
 * a nomination; a pod that fit nowhere waits in the unschedulable set until something happened that
 * could make it fit, and the binder's round only re-tries it then:
 *
 * <ul>
 *   <li>room freed on a node (a bound pod deleted or finished), volumes changed, or a binding that
 *       failed: every unschedulable pod is tried again on every node;
 *   <li>a pod bound anywhere: the pods whose fit depends on other pods (required pod affinity,
 *       topology spread) are tried again on every node;
 *   <li>nodes added or changed: the other unschedulable pods are tried on those nodes only, as the
 *       nodes they failed on have only lost room since;
 *   <li>and each pod after {@link #FLUSH} in the set regardless, kube-scheduler's periodic flush.
 * </ul>
 *
 * <p>Re-trying every pending pod every 200 ms cost the stand-in most of its time at 20,000 pending
 * pods: each round translated and placed them all on all nodes while the nodes they waited for
 * arrived a few at a time. A placed pod is assumed on its node until the cache shows it bound, so a
 * round can be decided while the previous round's bindings are still being written and still not
 * over-commit a node (kube-scheduler's assume). Not thread-safe except {@link #bindingFailed}: the
 * round thread only.
 */
final class SchedulingQueue {
  /**
   * How long a pod stays unschedulable without an event before it is tried again. kube-scheduler
   * waits 5 minutes; the stand-in hears fewer kinds of events (no event when a node goes, for
   * instance, which can change topology spread domains), and demo and end-to-end runs last minutes,
   * so a minute bounds what a missed event costs while a full re-try of 20,000 waiting pods once a
   * minute stays a small share of a round's work.
   */
  static final Duration FLUSH = Duration.ofSeconds(60);

  private static final class Entry {
    Pod pod;
    boolean unschedulable;
    long failedAtMillis;

    /** The node its nomination named when it last failed (null: none). */
    String nominated;

    /** The node it is being bound to; null when not placed. */
    String assumedOn;

    /** Whether other pods' bindings can make it fit (required pod affinity, topology spread). */
    boolean dependsOnPods;

    long seen;

    Entry(Pod pod) {
      this.pod = pod;
    }
  }

  /** What one round tries. */
  record Batch(List<Pod> everywhere, List<Pod> onChangedNodes) {
    boolean isEmpty() {
      return everywhere.isEmpty() && onChangedNodes.isEmpty();
    }
  }

  /**
   * By uid (a pod recreated under its name is a new pod): the uid is a string the pod already
   * holds, where {@code namespace/name} was built and hashed anew for every pending pod every
   * round.
   */
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  private final Queue<String> failedBindings = new ConcurrentLinkedQueue<>();
  private long syncs;

  /**
   * Brings the queue up to the cache's pending pods: new ones are active, gone ones dropped,
   * changed ones active again; a waiting pod whose nomination now names another node is active
   * again.
   *
   * @param nominatedNode the node a pod is nominated to, asked only of pods {@code nominated} holds
   * @param nominated whether a pod may carry a nomination (so the lookup is not made for every pod)
   * @return whether a failed binding released room it held on a node
   */
  boolean sync(
      List<Pod> pending,
      Function<Pod, String> nominatedNode,
      java.util.function.Predicate<Pod> nominated) {
    long round = ++syncs;
    boolean released = false;
    for (String key = failedBindings.poll(); key != null; key = failedBindings.poll()) {
      Entry e = entries.get(key);
      if (e != null && e.assumedOn != null) {
        e.assumedOn = null;
        e.unschedulable = false;
        released = true;
      }
    }
    for (Pod pod : pending) {
      String id = id(pod);
      Entry e = entries.get(id);
      if (e == null) {
        e = new Entry(pod);
        entries.put(id, e);
      } else if (e.pod != pod) {
        if (e.assumedOn == null && changed(e.pod, pod)) {
          e.unschedulable = false;
        }
        e.pod = pod;
      }
      e.seen = round;
      if (e.unschedulable && nominated.test(pod)) {
        String node = nominatedNode.apply(pod);
        if (node != null && !node.equals(e.nominated)) {
          e.unschedulable = false;
        }
      }
    }
    // Bound (the cache shows the binding: an assumed pod is counted there now), deleted or
    // terminating: no longer the scheduler's.
    entries.values().removeIf(e -> e.seen != round);
    return released;
  }

  /**
   * kube-scheduler's test for an update that may change where a pod fits: anything but its status
   * (the marks the binder and others write there do not).
   */
  private static boolean changed(Pod before, Pod after) {
    return !Objects.equals(before.getSpec(), after.getSpec())
        || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
        || !Objects.equals(
            before.getMetadata().getAnnotations(), after.getMetadata().getAnnotations());
  }

  /**
   * The pods to try now, in the order they came: the active ones and the waiting ones an event
   * moved.
   *
   * @param roomFreed every waiting pod may fit somewhere now
   * @param podsBound pods were bound since the last round
   * @param nodesChanged nodes were added or changed since the last round
   */
  Batch next(long nowMillis, boolean roomFreed, boolean podsBound, boolean nodesChanged) {
    List<Pod> everywhere = new ArrayList<>();
    List<Pod> onChanged = new ArrayList<>();
    long flushBefore = nowMillis - FLUSH.toMillis();
    for (Entry e : entries.values()) {
      if (e.assumedOn != null) {
        continue;
      }
      if (e.unschedulable
          && (roomFreed || (podsBound && e.dependsOnPods) || e.failedAtMillis <= flushBefore)) {
        e.unschedulable = false;
      }
      if (!e.unschedulable) {
        everywhere.add(e.pod);
      } else if (nodesChanged) {
        onChanged.add(e.pod);
      }
    }
    return new Batch(everywhere, onChanged);
  }

  private static String id(Pod pod) {
    String uid = pod.getMetadata().getUid();
    return uid != null ? uid : ClusterState.podKey(pod);
  }

  /** The pod fit nowhere: it waits for an event. */
  void unschedulable(Pod pod, long nowMillis, String nominated) {
    Entry e = entries.get(id(pod));
    if (e == null || e.assumedOn != null) {
      return;
    }
    if (!e.unschedulable) {
      // Re-tried on changed nodes only and failed again: it keeps its place in the flush order.
      e.failedAtMillis = nowMillis;
    }
    e.unschedulable = true;
    e.nominated = nominated;
    e.dependsOnPods = dependsOnPods(e.pod.getSpec());
  }

  private static boolean dependsOnPods(PodSpec spec) {
    if (spec == null) {
      return false;
    }
    boolean affinity =
        spec.getAffinity() != null
            && spec.getAffinity().getPodAffinity() != null
            && spec.getAffinity()
                    .getPodAffinity()
                    .getRequiredDuringSchedulingIgnoredDuringExecution()
                != null
            && !spec.getAffinity()
                .getPodAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .isEmpty();
    boolean spread =
        spec.getTopologySpreadConstraints() != null
            && !spec.getTopologySpreadConstraints().isEmpty();
    return affinity || spread;
  }

  /** The pod is being bound to {@code node}: it counts there until the cache shows it bound. */
  void assume(Pod pod, String node) {
    Entry e = entries.get(id(pod));
    if (e != null) {
      e.assumedOn = node;
      e.unschedulable = false;
    }
  }

  /** Its binding failed (from a writer thread): the next sync makes it active again. */
  void bindingFailed(Pod pod) {
    failedBindings.add(id(pod));
  }

  /** The pods being bound, by node, for the next decisions to count. */
  Map<String, List<Pod>> assumed() {
    Map<String, List<Pod>> byNode = new LinkedHashMap<>();
    for (Entry e : entries.values()) {
      if (e.assumedOn != null) {
        byNode.computeIfAbsent(e.assumedOn, n -> new ArrayList<>()).add(e.pod);
      }
    }
    return byNode;
  }

  /** Whether the pod waits in the unschedulable set (for tests). */
  boolean isUnschedulable(Pod pod) {
    Entry e = entries.get(id(pod));
    return e != null && e.unschedulable;
  }

  int size() {
    return entries.size();
  }

  /** Pods per state, for the binder's progress line. */
  String describe() {
    int waiting = 0;
    int assumed = 0;
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      waiting += e.unschedulable ? 1 : 0;
      assumed += e.assumedOn != null ? 1 : 0;
    }
    return entries.size() + " pending (" + waiting + " unschedulable, " + assumed + " binding)";
  }
}
