package dev.dovetail.apis.v1;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reading and writing status conditions the Kubernetes way: one condition per type, and {@code
 * lastTransitionTime} moves only when the status changes (so "how long has it been Ready" stays
 * true). Works on the mutable condition list of {@link NodePoolStatus} or {@link NodeClaimStatus}.
 */
public final class StatusConditions {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private StatusConditions() {}

  /** The condition of this type, if present. */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Whether the condition of this type is present with status True. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  /**
   * Sets a condition, adding it if absent. Returns whether anything changed, so callers patch
   * status only when needed.
   *
   * @param reason a CamelCase reason (the CRD requires one matching {@code ^[A-Za-z]...})
   * @param now the time to record if the status changes
   * @param observedGeneration the object's {@code metadata.generation} this condition reflects
   */
  public static boolean set(
      List<Condition> conditions,
      String type,
      String status,
      String reason,
      String message,
      Instant now,
      Long observedGeneration) {
    Optional<Condition> existing = find(conditions, type);
    String msg = message == null ? "" : message;
    if (existing.isEmpty()) {
      Condition c = new Condition();
      c.setType(type);
      c.setStatus(status);
      c.setReason(reason);
      c.setMessage(msg);
      c.setLastTransitionTime(now.toString());
      c.setObservedGeneration(observedGeneration);
      conditions.add(c);
      return true;
    }
    Condition c = existing.get();
    boolean transition = !status.equals(c.getStatus());
    boolean changed =
        transition
            || !java.util.Objects.equals(reason, c.getReason())
            || !msg.equals(c.getMessage())
            || !java.util.Objects.equals(observedGeneration, c.getObservedGeneration());
    if (transition) {
      c.setLastTransitionTime(now.toString());
    }
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(msg);
    c.setObservedGeneration(observedGeneration);
    return changed;
  }

  /** Removes the condition of this type; returns whether one was removed. */
  public static boolean remove(List<Condition> conditions, String type) {
    return conditions != null && conditions.removeIf(c -> type.equals(c.getType()));
  }
}
