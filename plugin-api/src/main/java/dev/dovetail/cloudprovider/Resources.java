package dev.dovetail.cloudprovider;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resource amounts as whole numbers in canonical units: {@code cpu} in millicores, everything else
 * (memory, ephemeral-storage, pods, extended resources) in base units, rounded up. Immutable.
 *
 * <p>Held as a sorted array of names and a parallel array of amounts rather than a map: every pod
 * translation carries several of these, and a sorted map of boxed amounts cost about 270 bytes per
 * instance against about 40 here. Names are canonical instances and the arrays of the common names
 * are shared (see {@link ResourceNames}); neither array is ever written after construction.
 */
public final class Resources {
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
  public static final String PODS = "pods";
  public static final String NVIDIA_GPU = "nvidia.com/gpu";
  public static final String AMD_GPU = "amd.com/gpu";
  public static final String AWS_NEURON = "aws.amazon.com/neuron";

  private static final long[] NO_AMOUNTS = new long[0];

  public static final Resources EMPTY = new Resources(ResourceNames.NONE, NO_AMOUNTS);

  /** Sorted by {@link String#compareTo}, canonical, possibly shared; never written. */
  private final String[] names;

  /** amounts[i] belongs to names[i]; never written after construction. */
  private final long[] amounts;

  private Resources(String[] names, long[] amounts) {
    this.names = names;
    this.amounts = amounts;
  }

  /** From canonical amounts (cpu in millicores). Zero amounts are kept. */
  public static Resources of(Map<String, Long> amounts) {
    Builder b = new Builder(amounts.size());
    amounts.forEach(b::put);
    return b.build();
  }

  /** Pairs of name and canonical amount: {@code Resources.of("cpu", 2000L, "memory", 4L << 30)}. */
  public static Resources of(Object... nameAmountPairs) {
    if (nameAmountPairs.length % 2 != 0) {
      throw new IllegalArgumentException("name/amount pairs expected");
    }
    Builder b = new Builder(nameAmountPairs.length / 2);
    for (int i = 0; i < nameAmountPairs.length; i += 2) {
      b.put((String) nameAmountPairs[i], ((Number) nameAmountPairs[i + 1]).longValue());
    }
    return b.build();
  }

  /** From Kubernetes quantity strings ({@code {"cpu": "500m", "memory": "1Gi"}}). */
  public static Resources parse(Map<String, String> quantities) {
    Builder b = new Builder(quantities.size());
    quantities.forEach((k, v) -> b.put(k, Quantities.toCanonical(k, v)));
    return b.build();
  }

  public long get(String name) {
    int i = indexOf(name);
    return i < 0 ? 0L : amounts[i];
  }

  public boolean has(String name) {
    return indexOf(name) >= 0;
  }

  /** A read-only view in name order. */
  public Map<String, Long> asMap() {
    return new ResourcesMapView(this);
  }

  public boolean isEmpty() {
    return names.length == 0;
  }

  public Resources add(Resources other) {
    return other.isEmpty() ? this : combine(other, false);
  }

  public Resources subtract(Resources other) {
    return other.isEmpty() ? this : combine(other, true);
  }

  public Resources multiply(long factor) {
    long[] m = new long[amounts.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = amounts[i] * factor;
    }
    return new Resources(names, m);
  }

  public Resources clampNonNegative() {
    long[] m = null;
    for (int i = 0; i < amounts.length; i++) {
      if (amounts[i] < 0) {
        if (m == null) {
          m = amounts.clone();
        }
        m[i] = 0L;
      }
    }
    return m == null ? this : new Resources(names, m);
  }

  /** Whether every amount requested here is available in {@code capacity}. */
  public boolean fitsIn(Resources capacity) {
    for (int i = 0; i < names.length; i++) {
      if (amounts[i] > 0 && amounts[i] > capacity.get(names[i])) {
        return false;
      }
    }
    return true;
  }

  /** The names whose request exceeds {@code capacity} (empty when it fits). */
  public java.util.List<String> exceeding(Resources capacity) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      if (amounts[i] > 0 && amounts[i] > capacity.get(names[i])) {
        out.add(names[i]);
      }
    }
    return out;
  }

  /** As Kubernetes quantity strings. */
  public Map<String, String> toQuantities() {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], Quantities.format(names[i], amounts[i]));
    }
    return m;
  }

  int size() {
    return names.length;
  }

  String nameAt(int i) {
    return names[i];
  }

  long amountAt(int i) {
    return amounts[i];
  }

  /** Equal when the name-to-amount maps are equal (zero amounts count), as before. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Resources r
        && Arrays.equals(amounts, r.amounts)
        && (names == r.names || Arrays.equals(names, r.names));
  }

  /** The hash of the equal {@link Map}, so it matches {@code asMap().hashCode()}. */
  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < names.length; i++) {
      h += names[i].hashCode() ^ Long.hashCode(amounts[i]);
    }
    return h;
  }

  @Override
  public String toString() {
    return toQuantities().toString();
  }

  private int indexOf(String name) {
    // Callers mostly pass the constants, which are the very instances stored.
    for (int i = 0; i < names.length; i++) {
      if (names[i] == name) {
        return i;
      }
    }
    int i = Arrays.binarySearch(names, name);
    return i >= 0 ? i : -1;
  }

  /** This plus (or minus) other, merging the two sorted name arrays. */
  private Resources combine(Resources other, boolean negate) {
    String[] a = names;
    String[] b = other.names;
    int n = 0;
    for (int i = 0, j = 0; i < a.length || j < b.length; n++) {
      int c = order(a, i, b, j);
      i += c <= 0 ? 1 : 0;
      j += c >= 0 ? 1 : 0;
    }
    String[] rn = n == a.length ? a : new String[n];
    long[] ra = new long[n];
    for (int i = 0, j = 0, k = 0; k < n; k++) {
      int c = order(a, i, b, j);
      long sum = 0L;
      String name;
      if (c <= 0) {
        name = a[i];
        sum = amounts[i++];
      } else {
        name = b[j];
      }
      if (c >= 0) {
        long v = other.amounts[j++];
        sum += negate ? -v : v;
      }
      if (rn != a) {
        rn[k] = name;
      }
      ra[k] = sum;
    }
    return new Resources(rn == a ? a : ResourceNames.share(rn), ra);
  }

  /** Which of a[i] and b[j] comes first; an exhausted side always comes last. */
  private static int order(String[] a, int i, String[] b, int j) {
    if (i >= a.length) {
      return 1;
    }
    if (j >= b.length) {
      return -1;
    }
    return a[i] == b[j] ? 0 : a[i].compareTo(b[j]);
  }

  /** Collects names and amounts in sorted order; a repeated name keeps the last amount. */
  private static final class Builder {
    private String[] names;
    private long[] amounts;
    private int size;

    Builder(int capacity) {
      names = new String[capacity];
      amounts = new long[capacity];
    }

    void put(String name, Long amount) {
      put(name, amount.longValue());
    }

    void put(String name, long amount) {
      String canonical = ResourceNames.canonical(name);
      int i = Arrays.binarySearch(names, 0, size, canonical);
      if (i >= 0) {
        amounts[i] = amount;
        return;
      }
      int at = -i - 1;
      if (size == names.length) {
        names = Arrays.copyOf(names, size + 1);
        amounts = Arrays.copyOf(amounts, size + 1);
      }
      System.arraycopy(names, at, names, at + 1, size - at);
      System.arraycopy(amounts, at, amounts, at + 1, size - at);
      names[at] = canonical;
      amounts[at] = amount;
      size++;
    }

    Resources build() {
      if (size == 0) {
        return EMPTY;
      }
      String[] n = size == names.length ? names : Arrays.copyOf(names, size);
      long[] a = size == amounts.length ? amounts : Arrays.copyOf(amounts, size);
      return new Resources(ResourceNames.share(n), a);
    }
  }
}
