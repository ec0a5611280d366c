package dev.dovetail.cloudprovider;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resource amounts as whole numbers in canonical units: {@code cpu} in millicores, everything else
 * (memory, ephemeral-storage, pods, extended resources) in base units, rounded up. Immutable.
 */
public final class Resources {
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
  public static final String PODS = "pods";
  public static final String NVIDIA_GPU = "nvidia.com/gpu";
  public static final String AMD_GPU = "amd.com/gpu";
  public static final String AWS_NEURON = "aws.amazon.com/neuron";

  public static final Resources EMPTY = new Resources(Map.of());

  private final Map<String, Long> amounts;

  private Resources(Map<String, Long> amounts) {
    this.amounts = amounts;
  }

  /** From canonical amounts (cpu in millicores). Zero amounts are kept. */
  public static Resources of(Map<String, Long> amounts) {
    return new Resources(Collections.unmodifiableMap(new TreeMap<>(amounts)));
  }

  /** Pairs of name and canonical amount: {@code Resources.of("cpu", 2000L, "memory", 4L << 30)}. */
  public static Resources of(Object... nameAmountPairs) {
    if (nameAmountPairs.length % 2 != 0) {
      throw new IllegalArgumentException("name/amount pairs expected");
    }
    Map<String, Long> m = new TreeMap<>();
    for (int i = 0; i < nameAmountPairs.length; i += 2) {
      m.put((String) nameAmountPairs[i], ((Number) nameAmountPairs[i + 1]).longValue());
    }
    return new Resources(Collections.unmodifiableMap(m));
  }

  /** From Kubernetes quantity strings ({@code {"cpu": "500m", "memory": "1Gi"}}). */
  public static Resources parse(Map<String, String> quantities) {
    Map<String, Long> m = new TreeMap<>();
    quantities.forEach((k, v) -> m.put(k, Quantities.toCanonical(k, v)));
    return new Resources(Collections.unmodifiableMap(m));
  }

  public long get(String name) {
    Long v = amounts.get(name);
    return v == null ? 0L : v;
  }

  public boolean has(String name) {
    return amounts.containsKey(name);
  }

  public Map<String, Long> asMap() {
    return amounts;
  }

  public boolean isEmpty() {
    return amounts.isEmpty();
  }

  public Resources add(Resources other) {
    if (other.amounts.isEmpty()) {
      return this;
    }
    Map<String, Long> m = new TreeMap<>(amounts);
    other.amounts.forEach((k, v) -> m.merge(k, v, Long::sum));
    return new Resources(Collections.unmodifiableMap(m));
  }

  public Resources subtract(Resources other) {
    if (other.amounts.isEmpty()) {
      return this;
    }
    Map<String, Long> m = new TreeMap<>(amounts);
    other.amounts.forEach((k, v) -> m.merge(k, -v, Long::sum));
    return new Resources(Collections.unmodifiableMap(m));
  }

  public Resources multiply(long factor) {
    Map<String, Long> m = new TreeMap<>();
    amounts.forEach((k, v) -> m.put(k, v * factor));
    return new Resources(Collections.unmodifiableMap(m));
  }

  public Resources clampNonNegative() {
    boolean anyNegative = amounts.values().stream().anyMatch(v -> v < 0);
    if (!anyNegative) {
      return this;
    }
    Map<String, Long> m = new TreeMap<>();
    amounts.forEach((k, v) -> m.put(k, Math.max(0L, v)));
    return new Resources(Collections.unmodifiableMap(m));
  }

  /** Whether every amount requested here is available in {@code capacity}. */
  public boolean fitsIn(Resources capacity) {
    for (Map.Entry<String, Long> e : amounts.entrySet()) {
      if (e.getValue() > 0 && e.getValue() > capacity.get(e.getKey())) {
        return false;
      }
    }
    return true;
  }

  /** The names whose request exceeds {@code capacity} (empty when it fits). */
  public java.util.List<String> exceeding(Resources capacity) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Map.Entry<String, Long> e : amounts.entrySet()) {
      if (e.getValue() > 0 && e.getValue() > capacity.get(e.getKey())) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /** As Kubernetes quantity strings. */
  public Map<String, String> toQuantities() {
    Map<String, String> m = new TreeMap<>();
    amounts.forEach((k, v) -> m.put(k, Quantities.format(k, v)));
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resources r && amounts.equals(r.amounts);
  }

  @Override
  public int hashCode() {
    return amounts.hashCode();
  }

  @Override
  public String toString() {
    return toQuantities().toString();
  }
}
