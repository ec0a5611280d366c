package dev.dovetail.kube;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads and writes metav1.Conditions in a status' condition list. */
public final class Conditions {
  private Conditions() {}

  public static Optional<Condition> get(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return get(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /**
   * Sets a condition, keeping its lastTransitionTime when the status does not change (so the time
   * says when it became what it is, as Kubernetes conventions require).
   *
   * @return true when anything changed
   */
  public static boolean set(
      List<Condition> conditions,
      String type,
      boolean status,
      String reason,
      String message,
      Long generation,
      Instant now) {
    return set(conditions, type, status ? "True" : "False", reason, message, generation, now);
  }

  /** As above with the status as written: True, False or Unknown. */
  public static boolean set(
      List<Condition> conditions,
      String type,
      String statusText,
      String reason,
      String message,
      Long generation,
      Instant now) {
    Optional<Condition> existing = get(conditions, type);
    if (existing.isPresent()) {
      Condition c = existing.get();
      boolean same =
          statusText.equals(c.getStatus())
              && Objects.equals(reason, c.getReason())
              && Objects.equals(message, c.getMessage())
              && Objects.equals(generation, c.getObservedGeneration());
      if (same) {
        return false;
      }
      if (!statusText.equals(c.getStatus())) {
        c.setLastTransitionTime(now.toString());
      }
      c.setStatus(statusText);
      c.setReason(reason);
      c.setMessage(message == null ? "" : message);
      c.setObservedGeneration(generation);
      return true;
    }
    conditions.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(statusText)
            .withReason(reason)
            .withMessage(message == null ? "" : message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(now.toString())
            .build());
    return true;
  }

  /** When the condition last changed status, if it is set. */
  public static Optional<Instant> transitionTime(List<Condition> conditions, String type) {
    return get(conditions, type)
        .map(Condition::getLastTransitionTime)
        .filter(Objects::nonNull)
        .map(Instant::parse);
  }
}
