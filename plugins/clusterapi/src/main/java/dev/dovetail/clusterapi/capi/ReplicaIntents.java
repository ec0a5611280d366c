package dev.dovetail.clusterapi.capi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replica changes the bridge made on a scalable resource that are not settled yet, stored in an
 * annotation of that resource so they are written in the same guarded update as the replica change
 * itself. That makes both halves of "scale, then claim" and "mark, then shrink" safe across crashes
 * and concurrent writers:
 *
 * <ul>
 *   <li>{@code pending}: NodeClaims that reserved a Machine of this resource (and whether that
 *       reservation raised the replicas) but have not claimed one yet. A create that finds its
 *       claim here after a restart claims instead of scaling again.
 *   <li>{@code released}: Machines whose replica was already given back, so a repeated delete does
 *       not shrink twice.
 * </ul>
 *
 * Immutable; the {@code with*} methods return changed copies.
 */
public record ReplicaIntents(Map<String, Pending> pending, Map<String, Long> released) {

  /** A reservation: since when (epoch seconds), and whether it raised the replicas. */
  public record Pending(long since, boolean scaled) {}

  public static final ReplicaIntents EMPTY = new ReplicaIntents(Map.of(), Map.of());

  public ReplicaIntents {
    pending = Map.copyOf(pending == null ? Map.of() : pending);
    released = Map.copyOf(released == null ? Map.of() : released);
  }

  /** The intents on the object; unreadable content counts as none (and is replaced on write). */
  public static ReplicaIntents of(GenericKubernetesResource obj) {
    String raw = Fields.annotations(obj).get(Capi.INTENTS_ANNOTATION);
    if (raw == null || raw.isBlank()) {
      return EMPTY;
    }
    try {
      return Serialization.unmarshal(raw, ReplicaIntents.class);
    } catch (RuntimeException e) {
      return EMPTY;
    }
  }

  /** Writes the intents onto the object in hand (removing the annotation when empty). */
  public void writeTo(GenericKubernetesResource obj) {
    Fields.annotate(
        obj,
        Capi.INTENTS_ANNOTATION,
        pending.isEmpty() && released.isEmpty() ? null : Serialization.asJson(this));
  }

  public ReplicaIntents withPending(String claim, Instant since, boolean scaled) {
    Map<String, Pending> p = new TreeMap<>(pending);
    p.put(claim, new Pending(since.getEpochSecond(), scaled));
    return new ReplicaIntents(p, released);
  }

  public ReplicaIntents withoutPending(String claim) {
    Map<String, Pending> p = new TreeMap<>(pending);
    p.remove(claim);
    return new ReplicaIntents(p, released);
  }

  public ReplicaIntents withReleased(String machine, Instant at) {
    Map<String, Long> r = new TreeMap<>(released);
    r.put(machine, at.getEpochSecond());
    return new ReplicaIntents(pending, r);
  }

  public ReplicaIntents withoutReleased(String machine) {
    Map<String, Long> r = new TreeMap<>(released);
    r.remove(machine);
    return new ReplicaIntents(pending, r);
  }
}
