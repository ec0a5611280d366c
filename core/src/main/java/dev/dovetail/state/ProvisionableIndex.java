package dev.dovetail.state;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

  /** The keys now (a copy: events keep changing the index). */
  Set<String> keys() {
    return Set.copyOf(keys);
  }
}
