package dev.dovetail.cloudprovider;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Requirements on several label keys, at most one {@link Requirement} per key (adding a second one
 * for a key intersects them). Immutable.
 */
public final class Requirements {
  private static final Requirements NONE = new Requirements(Map.of());
  private final Map<String, Requirement> byKey;

  private Requirements(Map<String, Requirement> byKey) {
    this.byKey = byKey;
  }

  public static Requirements none() {
    return NONE;
  }

  public static Requirements of(Requirement... requirements) {
    return of(List.of(requirements));
  }

  public static Requirements of(Collection<Requirement> requirements) {
    Map<String, Requirement> map = new LinkedHashMap<>();
    for (Requirement r : requirements) {
      map.merge(r.key(), r, Requirement::intersect);
    }
    return new Requirements(Collections.unmodifiableMap(map));
  }

  /** Requirements that pin each label to its value ({@code key In [value]}). */
  public static Requirements fromLabels(Map<String, String> labels) {
    Map<String, Requirement> map = new LinkedHashMap<>();
    labels.forEach((k, v) -> map.put(k, Requirement.in(k, v)));
    return new Requirements(Collections.unmodifiableMap(map));
  }

  public Requirement get(String key) {
    return byKey.get(key);
  }

  public boolean has(String key) {
    return byKey.containsKey(key);
  }

  public Set<String> keys() {
    return byKey.keySet();
  }

  public Collection<Requirement> all() {
    return byKey.values();
  }

  public boolean isEmpty() {
    return byKey.isEmpty();
  }

  /** This and the other's requirements together (same-key requirements intersected). */
  public Requirements and(Requirements other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    Map<String, Requirement> map = new LinkedHashMap<>(byKey);
    for (Requirement r : other.byKey.values()) {
      map.merge(r.key(), r, Requirement::intersect);
    }
    return new Requirements(Collections.unmodifiableMap(map));
  }

  public Requirements and(Requirement r) {
    return and(of(r));
  }

  /** The same requirements without the given key. */
  public Requirements without(String key) {
    if (!byKey.containsKey(key)) {
      return this;
    }
    Map<String, Requirement> map = new LinkedHashMap<>(byKey);
    map.remove(key);
    return new Requirements(Collections.unmodifiableMap(map));
  }

  /**
   * Whether a node described by these requirements could satisfy {@code incoming} (a pod's or a
   * NodePool's). A key the node does not define means the label is absent, so incoming In, Exists
   * and bounds on it fail, unless the key is in {@code allowUndefined} (labels a provider fills in
   * later, such as the hostname).
   *
   * @return empty when compatible, otherwise the reason
   */
  public Optional<String> compatible(Requirements incoming, Set<String> allowUndefined) {
    for (Requirement in : incoming.byKey.values()) {
      Requirement mine = byKey.get(in.key());
      if (mine == null) {
        if (allowUndefined.contains(in.key())) {
          continue;
        }
        Operator op = in.operator();
        if (op == Operator.In || op == Operator.Exists || op == Operator.Gt || op == Operator.Lt) {
          return Optional.of("label " + in.key() + " is not defined (needs " + in + ")");
        }
        continue;
      }
      if (!mine.intersects(in) && !(absentAllowed(mine) && absentAllowed(in))) {
        return Optional.of("incompatible requirements, " + in + " not in " + mine);
      }
    }
    return Optional.empty();
  }

  /**
   * NotIn and DoesNotExist both accept a node without the label, so two of them never conflict even
   * when no value satisfies both (upstream's Intersects makes the same exception).
   */
  private static boolean absentAllowed(Requirement r) {
    Operator op = r.operator();
    return op == Operator.NotIn || op == Operator.DoesNotExist;
  }

  public boolean isCompatible(Requirements incoming, Set<String> allowUndefined) {
    return compatible(incoming, allowUndefined).isEmpty();
  }

  /** Whether a node with exactly these labels satisfies every requirement. */
  public boolean matches(Map<String, String> labels) {
    for (Requirement r : byKey.values()) {
      String v = labels.get(r.key());
      if (v == null) {
        // An absent label satisfies only NotIn (without bounds) and DoesNotExist.
        boolean bounded = r.greaterThan() != null || r.lessThan() != null;
        boolean notIn = r.complement() && !r.values().isEmpty();
        boolean doesNotExist = !r.complement() && r.values().isEmpty();
        if (bounded || !(notIn || doesNotExist)) {
          return false;
        }
      } else if (!r.has(v)) {
        return false;
      }
    }
    return true;
  }

  /** Labels implied by single-valued {@code In} requirements. */
  public Map<String, String> singleValueLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    for (Requirement r : byKey.values()) {
      if (!r.complement() && r.size() == 1) {
        labels.put(r.key(), r.any());
      }
    }
    return labels;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Requirements r && byKey.equals(r.byKey);
  }

  @Override
  public int hashCode() {
    return byKey.hashCode();
  }

  @Override
  public String toString() {
    return byKey.values().toString();
  }
}
