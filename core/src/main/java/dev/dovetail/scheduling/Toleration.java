package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Taint;

/**
 * A pod toleration, with Kubernetes semantics.
 *
 * @param key the taint key; empty with operator {@code Exists} tolerates every taint
 * @param operator {@code Equal} (default) or {@code Exists}
 * @param value the value for {@code Equal}
 * @param effect the effect tolerated; empty tolerates every effect
 */
public record Toleration(String key, String operator, String value, String effect) {

  public Toleration {
    key = key == null ? "" : key;
    operator = operator == null || operator.isEmpty() ? "Equal" : operator;
    value = value == null ? "" : value;
    effect = effect == null ? "" : effect;
  }

  public static Toleration exists(String key) {
    return new Toleration(key, "Exists", "", "");
  }

  public static Toleration equal(String key, String value, String effect) {
    return new Toleration(key, "Equal", value, effect);
  }

  /** Whether this toleration tolerates the taint (kube-scheduler's ToleratesTaint). */
  public boolean tolerates(Taint taint) {
    if (!effect.isEmpty() && !effect.equals(taint.effect())) {
      return false;
    }
    if (key.isEmpty()) {
      return "Exists".equals(operator);
    }
    if (!key.equals(taint.key())) {
      return false;
    }
    return "Exists".equals(operator) || value.equals(taint.value());
  }
}
