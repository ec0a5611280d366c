package dev.dovetail.cloudprovider;

import java.util.Objects;

/** A node taint: key, optional value, effect (NoSchedule, PreferNoSchedule, NoExecute). */
public record Taint(String key, String value, String effect) {

  public Taint {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(effect, "effect");
    value = value == null ? "" : value;
  }

  /** Same key and effect: Kubernetes treats such taints as the same taint. */
  public boolean matchesKeyEffect(Taint other) {
    return key.equals(other.key) && effect.equals(other.effect);
  }

  @Override
  public String toString() {
    return key + (value.isEmpty() ? "" : "=" + value) + ":" + effect;
  }
}
