package dev.dovetail.state;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The keys of the pods that are provisionable by their own fields ({@link
 * PodUtils#isProvisionable}), kept from pod events. The provisioner looks for work on every batch,
 * every NodeClaim event and every few seconds; scanning all pods each time cost work proportional
 * to the cluster (20,000 bound pods for a handful pending) instead of to what is pending.
 */
final class ProvisionableIndex {
  private final Set<String> keys = ConcurrentHashMap.newKeySet();

  /** A pod was added or changed. */
  void update(Pod pod) {
    if (PodUtils.isProvisionable(pod)) {
      keys.add(ClusterState.podKey(pod));
    } else {
      keys.remove(ClusterState.podKey(pod));
    }
  }

  /** A pod was deleted. */
  void remove(Pod pod) {
    keys.remove(ClusterState.podKey(pod));
  }

  /**
   * Whether some key passes the test, walking the index as it is (no copy: a look that stops at the
   * first match then costs what it reads, not the whole backlog); a key added or removed meanwhile
   * may or may not be seen.
   */
  boolean anyMatch(Predicate<String> test) {
    for (String key : keys) {
      if (test.test(key)) {
        return true;
      }
    }
    return false;
  }

  /** The keys now (a copy: events keep changing the index). */
  Set<String> keys() {
    return Set.copyOf(keys);
  }
}
