package dev.dovetail.demo.bench;

import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How many pods are bound and when a pod was last seen newly pending (unbound and marked
 * Unschedulable), kept from the controllers' cache's pod events. The benchmark used to scan every
 * pod every 100 ms for these: at 20,000 pods that scan was a tenth of the sampled CPU of the JVM it
 * measures, taken from the controllers on a 2-core machine.
 */
final class PodProgress {
  private final Set<String> bound = ConcurrentHashMap.newKeySet();
  private final Set<String> seenPending = ConcurrentHashMap.newKeySet();
  private final LongSupplier nanoTime;
  private volatile long lastPendingNanos;
  private volatile boolean anyPending;

  /**
   * The pod whose delete is being delivered: the cache tells its deletion listeners, then its
   * listeners, of the same object on its one informer thread; the second call must not count the
   * deleted pod as bound again.
   */
  private volatile Pod deleting;

  PodProgress(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Follows the cache's pod events from now on (pods already cached are counted too). */
  static PodProgress follow(ClusterState state, LongSupplier nanoTime) {
    PodProgress progress = new PodProgress(nanoTime);
    state.addPodDeletionListener(progress::deleted);
    state.addListener(
        o -> {
          if (o instanceof Pod p) {
            progress.seen(p);
          }
        });
    state.pods().forEach(progress::seen);
    return progress;
  }

  void seen(Pod p) {
    if (p == deleting) {
      deleting = null;
      return;
    }
    String key = ClusterState.podKey(p);
    if (PodUtils.isBound(p)) {
      bound.add(key);
      return;
    }
    bound.remove(key);
    if (PodUtils.isProvisionable(p) && seenPending.add(key)) {
      lastPendingNanos = nanoTime.getAsLong();
      anyPending = true;
    }
  }

  void deleted(Pod p) {
    deleting = p;
    bound.remove(ClusterState.podKey(p));
  }

  int bound() {
    return bound.size();
  }

  /** {@link System#nanoTime} when a pod was last seen pending for the first time, if any was. */
  java.util.OptionalLong lastNewPendingNanos() {
    return anyPending
        ? java.util.OptionalLong.of(lastPendingNanos)
        : java.util.OptionalLong.empty();
  }
}
