package dev.dovetail.metrics;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which pods' startup has been measured, so each pod counts once in {@code
 * karpenter_pods_startup_duration_seconds}: from its creation to the moment it became Ready (the
 * Ready condition's transition time), or to the moment it was first seen Running when the kubelet
 * reports no Ready time. Pods that are gone are forgotten by {@link #retain}.
 */
final class PodStartups {
  private final Set<String> measured = ConcurrentHashMap.newKeySet();

  /** The pod's startup duration if it is running and was not measured before. */
  Optional<Duration> startup(Pod pod, Instant now) {
    if (pod.getMetadata() == null
        || pod.getMetadata().getUid() == null
        || pod.getMetadata().getCreationTimestamp() == null
        || pod.getStatus() == null
        || !"Running".equals(pod.getStatus().getPhase())
        || pod.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    Instant created;
    try {
      created = Instant.parse(pod.getMetadata().getCreationTimestamp());
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
    if (!measured.add(pod.getMetadata().getUid())) {
      return Optional.empty();
    }
    Instant running = readySince(pod).orElse(now);
    Duration took = Duration.between(created, running);
    return Optional.of(took.isNegative() ? Duration.ZERO : took);
  }

  /** Forgets every pod not in {@code current}. */
  void retain(Collection<Pod> current) {
    Set<String> uids =
        current.stream()
            .map(p -> p.getMetadata().getUid())
            .filter(u -> u != null)
            .collect(Collectors.toSet());
    measured.retainAll(uids);
  }

  private static Optional<Instant> readySince(Pod pod) {
    if (pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())
          && "True".equals(c.getStatus())
          && c.getLastTransitionTime() != null) {
        try {
          return Optional.of(Instant.parse(c.getLastTransitionTime()));
        } catch (java.time.format.DateTimeParseException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
